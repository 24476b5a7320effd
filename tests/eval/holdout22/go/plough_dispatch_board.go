package dispatch

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

// DispatchBoard is the depot wall screen: which gritters/ploughs are out,
// which priority routes are untreated. Every controller at the depot sees
// the same board, so it is cached per depot, not per user.
type DispatchBoard struct {
	DepotID     int64
	GeneratedAt time.Time
	VehiclesOut int
	UntreatedP1 []RouteStatus
	UntreatedP2 []RouteStatus
}

type RouteStatus struct {
	RouteID     int64
	Name        string
	LastTreated sql.NullTime
}

type BoardService struct {
	db    *sql.DB
	log   *slog.Logger
	cache *expirable.LRU[string, *DispatchBoard]
	group singleflight.Group
}

func NewBoardService(db *sql.DB, log *slog.Logger) *BoardService {
	return &BoardService{
		db:  db,
		log: log,
		// ~60 depots across the councils we serve; 20 s keeps the wall screens fresh.
		cache: expirable.NewLRU[string, *DispatchBoard](512, nil, 20*time.Second),
	}
}

// Board returns the cached board, collapsing concurrent misses into one query.
func (s *BoardService) Board(ctx context.Context, councilID, depotID int64) (*DispatchBoard, error) {
	key := fmt.Sprintf("board:%d:%d", councilID, depotID)
	if b, ok := s.cache.Get(key); ok {
		return b, nil
	}

	v, err, _ := s.group.Do(key, func() (any, error) {
		if b, ok := s.cache.Get(key); ok {
			return b, nil
		}
		qctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b, err := s.load(qctx, councilID, depotID)
		if err != nil {
			return nil, err
		}
		s.cache.Add(key, b)
		return b, nil
	})
	if err != nil {
		s.log.Error("load dispatch board", "council", councilID, "depot", depotID, "err", err)
		return nil, err
	}
	return v.(*DispatchBoard), nil
}

func (s *BoardService) load(ctx context.Context, councilID, depotID int64) (*DispatchBoard, error) {
	b := &DispatchBoard{DepotID: depotID, GeneratedAt: time.Now()}

	err := s.db.QueryRowContext(ctx,
		`SELECT count(*) FROM vehicle_shifts
		  WHERE council_id = $1 AND depot_id = $2 AND ended_at IS NULL`,
		councilID, depotID).Scan(&b.VehiclesOut)
	if err != nil {
		return nil, fmt.Errorf("vehicles out: %w", err)
	}

	rows, err := s.db.QueryContext(ctx,
		`SELECT id, name, priority, last_treated_at
		   FROM gritting_routes
		  WHERE council_id = $1 AND depot_id = $2
		    AND (last_treated_at IS NULL OR last_treated_at < now() - interval '4 hours')
		  ORDER BY priority, last_treated_at NULLS FIRST
		  LIMIT 200`, councilID, depotID)
	if err != nil {
		return nil, fmt.Errorf("untreated routes: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var rs RouteStatus
		var priority int
		if err := rows.Scan(&rs.RouteID, &rs.Name, &priority, &rs.LastTreated); err != nil {
			return nil, err
		}
		if priority == 1 {
			b.UntreatedP1 = append(b.UntreatedP1, rs)
		} else {
			b.UntreatedP2 = append(b.UntreatedP2, rs)
		}
	}
	return b, rows.Err()
}
