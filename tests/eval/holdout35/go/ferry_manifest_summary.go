package manifest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"
)

// SailingCount is the foot-passenger headcount the harbour office and the
// crew tablets show for each sailing on the departure board.
type SailingCount struct {
	SailingID  int64 `json:"sailing_id"`
	Booked     int   `json:"booked"`
	CheckedIn  int   `json:"checked_in"`
	WithBikes  int   `json:"with_bikes"`
	Concession int   `json:"concession"`
}

const maxSailingsPerBoard = 24

type Summaries struct {
	pool  *pgxpool.Pool
	cache *expirable.LRU[string, []SailingCount]
	group singleflight.Group
}

func NewSummaries(pool *pgxpool.Pool) *Summaries {
	return &Summaries{
		pool: pool,
		// Boards differ per port and operator; 512 keys covers every board
		// we run with plenty of room, and 15 s keeps headcounts current.
		cache: expirable.NewLRU[string, []SailingCount](512, nil, 15*time.Second),
	}
}

// ForBoard returns headcounts for the sailings on one departure board.
// Concurrent misses for the same board share a single database query.
func (s *Summaries) ForBoard(ctx context.Context, operatorID int64, sailingIDs []int64) ([]SailingCount, error) {
	if len(sailingIDs) == 0 {
		return nil, nil
	}
	if len(sailingIDs) > maxSailingsPerBoard {
		sailingIDs = sailingIDs[:maxSailingsPerBoard]
	}
	key := boardKey(operatorID, sailingIDs)

	if v, ok := s.cache.Get(key); ok {
		return v, nil
	}

	v, err, _ := s.group.Do(key, func() (any, error) {
		if v, ok := s.cache.Get(key); ok {
			return v, nil
		}
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		counts, err := s.load(qctx, operatorID, sailingIDs)
		if err != nil {
			return nil, err
		}
		s.cache.Add(key, counts)
		return counts, nil
	})
	if err != nil {
		return nil, fmt.Errorf("board summary for operator %d: %w", operatorID, err)
	}
	return v.([]SailingCount), nil
}

func (s *Summaries) load(ctx context.Context, operatorID int64, sailingIDs []int64) ([]SailingCount, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT sailing_id,
		       count(*)                                    AS booked,
		       count(*) FILTER (WHERE checked_in_at IS NOT NULL) AS checked_in,
		       count(*) FILTER (WHERE has_bicycle)          AS with_bikes,
		       count(*) FILTER (WHERE fare_type = 'concession') AS concession
		  FROM foot_passengers
		 WHERE operator_id = $1
		   AND sailing_id = ANY($2)
		   AND cancelled_at IS NULL
		 GROUP BY sailing_id`, operatorID, sailingIDs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	out := make([]SailingCount, 0, len(sailingIDs))
	for rows.Next() {
		var c SailingCount
		if err := rows.Scan(&c.SailingID, &c.Booked, &c.CheckedIn, &c.WithBikes, &c.Concession); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func boardKey(operatorID int64, ids []int64) string {
	sorted := append([]int64(nil), ids...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	parts := make([]string, len(sorted))
	for i, id := range sorted {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strconv.FormatInt(operatorID, 10) + ":" + strings.Join(parts, ",")
}
