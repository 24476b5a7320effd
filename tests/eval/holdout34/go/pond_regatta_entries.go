package regatta

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Entries API for the Eastfield Model Yacht Club pond regattas. Runs as three
// replicas; anything shared between requests lives in Redis or Postgres.

type Heat struct {
	No      int       `json:"heat"`
	Class   string    `json:"class"` // IOM, Marblehead, RG65 ...
	StartAt time.Time `json:"start_at"`
}

type API struct {
	db        *sql.DB
	rdb       *redis.Client
	schedules *expirable.LRU[int64, []Heat]
	loads     singleflight.Group
}

func NewAPI(db *sql.DB, rdb *redis.Client) *API {
	return &API{db: db, rdb: rdb, schedules: expirable.NewLRU[int64, []Heat](256, nil, 2*time.Minute)}
}

// allowEntry permits 20 entry submissions per member per hour, counted in Redis.
func (a *API) allowEntry(ctx context.Context, memberID int64) (bool, error) {
	key := fmt.Sprintf("rl:entries:%d:%s", memberID, time.Now().UTC().Format("2006010215"))
	pipe := a.rdb.TxPipeline()
	n := pipe.Incr(ctx, key)
	pipe.Expire(ctx, key, time.Hour)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, err
	}
	return n.Val() <= 20, nil
}

// heats returns the heat schedule for a regatta; concurrent misses share one load.
func (a *API) heats(ctx context.Context, regattaID int64) ([]Heat, error) {
	if h, ok := a.schedules.Get(regattaID); ok {
		return h, nil
	}
	v, err, _ := a.loads.Do(strconv.FormatInt(regattaID, 10), func() (any, error) {
		rows, err := a.db.QueryContext(ctx, `SELECT heat_no, boat_class, start_at FROM heats WHERE regatta_id = $1 ORDER BY heat_no LIMIT 200`, regattaID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []Heat
		for rows.Next() {
			var h Heat
			if err := rows.Scan(&h.No, &h.Class, &h.StartAt); err != nil {
				return nil, err
			}
			out = append(out, h)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		a.schedules.Add(regattaID, out)
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("heats for regatta %d: %w", regattaID, err)
	}
	return v.([]Heat), nil
}

func (a *API) Heats(w http.ResponseWriter, r *http.Request) {
	regattaID, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		http.Error(w, "bad regatta id", http.StatusBadRequest)
		return
	}
	h, err := a.heats(r.Context(), regattaID)
	if err != nil {
		log.Printf("heats: %v", err)
		http.Error(w, "could not load heats", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(h)
}

// SubmitEntry handles POST /regattas/{id}/entries.
func (a *API) SubmitEntry(w http.ResponseWriter, r *http.Request) {
	regattaID, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	var in struct{ BoatName, SailNo, Class string }
	if err != nil || json.NewDecoder(r.Body).Decode(&in) != nil || in.SailNo == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	member := memberFrom(r.Context()) // set by the session middleware
	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()
	if ok, err := a.allowEntry(ctx, member.ID); err != nil || !ok {
		if err != nil {
			log.Printf("entry limiter: %v", err)
		}
		http.Error(w, "too many entries this hour, please try later", http.StatusTooManyRequests)
		return
	}
	var entryID int64
	err = a.db.QueryRowContext(ctx, `
		INSERT INTO pond_entries (regatta_id, member_id, boat_name, sail_no, boat_class)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (regatta_id, sail_no) DO NOTHING
		RETURNING id`, regattaID, member.ID, in.BoatName, in.SailNo, in.Class).Scan(&entryID)
	switch {
	case err == sql.ErrNoRows:
		http.Error(w, "that sail number is already entered", http.StatusConflict)
	case err != nil:
		log.Printf("insert entry regatta=%d: %v", regattaID, err)
		http.Error(w, "could not save entry", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]int64{"entry_id": entryID})
	}
}
