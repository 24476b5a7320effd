package profiles

import (
	"context"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Profile struct {
	ID       int64
	Name     string
	Avatar   string
	LoadedAt time.Time
}

var (
	mu    sync.RWMutex
	cache = map[string]Profile{}
)

// ByHandle is called on every profile page view; handles come from the URL.
func ByHandle(ctx context.Context, db *pgxpool.Pool, handle string) (Profile, error) {
	mu.RLock()
	p, ok := cache[handle]
	mu.RUnlock()
	if ok {
		return p, nil
	}
	err := db.QueryRow(ctx, "SELECT id, name, avatar FROM profiles WHERE handle = $1", handle).
		Scan(&p.ID, &p.Name, &p.Avatar)
	if err != nil {
		return Profile{}, err
	}
	p.LoadedAt = time.Now()
	mu.Lock()
	cache[handle] = p
	mu.Unlock()
	return p, nil
}

var avatars = lru.NewLRU[int64, []byte](2048, nil, 10*time.Minute)

func Avatar(ctx context.Context, db *pgxpool.Pool, id int64) ([]byte, error) {
	if b, ok := avatars.Get(id); ok {
		return b, nil
	}
	var b []byte
	if err := db.QueryRow(ctx, "SELECT image FROM avatars WHERE profile_id = $1", id).Scan(&b); err != nil {
		return nil, err
	}
	avatars.Add(id, b)
	return b, nil
}
