package dashboard

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"
)

// Stats is the panel at the top of the tool library's volunteer dashboard.
// It is the same for every volunteer, so one copy is cached for the process.
type Stats struct {
	ToolsOnLoan   int       `json:"tools_on_loan"`
	Overdue       int       `json:"overdue"`
	LoansLast30d  int       `json:"loans_last_30d"`
	ActiveMembers int       `json:"active_members"`
	ComputedAt    time.Time `json:"computed_at"`
}

type StatsHandler struct {
	DB  *sql.DB
	Log *slog.Logger

	mu      sync.RWMutex
	current *Stats
	group   singleflight.Group
}

const statsTTL = 2 * time.Minute

func (h *StatsHandler) Get(c *gin.Context) {
	st, err := h.stats(c.Request.Context())
	if err != nil {
		h.Log.Error("dashboard stats", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "stats unavailable"})
		return
	}
	c.JSON(http.StatusOK, st)
}

func (h *StatsHandler) stats(ctx context.Context) (*Stats, error) {
	h.mu.RLock()
	cur := h.current
	h.mu.RUnlock()
	if cur != nil && time.Since(cur.ComputedAt) < statsTTL {
		return cur, nil
	}

	// Only one request recomputes after expiry; the rest wait for its result.
	v, err, _ := h.group.Do("stats", func() (any, error) {
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 4*time.Second)
		defer cancel()
		fresh, err := h.compute(qctx)
		if err != nil {
			return nil, err
		}
		h.mu.Lock()
		h.current = fresh
		h.mu.Unlock()
		return fresh, nil
	})
	if err != nil {
		if cur != nil {
			h.Log.Warn("serving stale dashboard stats", "err", err, "age", time.Since(cur.ComputedAt))
			return cur, nil
		}
		return nil, err
	}
	return v.(*Stats), nil
}

// compute reads the nightly rollup for the 30-day figure and uses the partial
// index on open loans (returned_at IS NULL) for the live counts.
func (h *StatsHandler) compute(ctx context.Context) (*Stats, error) {
	s := &Stats{ComputedAt: time.Now()}
	err := h.DB.QueryRowContext(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE due_on < current_date)
		FROM loans
		WHERE returned_at IS NULL`).Scan(&s.ToolsOnLoan, &s.Overdue)
	if err != nil {
		return nil, err
	}
	err = h.DB.QueryRowContext(ctx, `
		SELECT coalesce(sum(loans_started), 0), coalesce(max(active_members), 0)
		FROM lending_daily_rollup
		WHERE day >= current_date - 30`).Scan(&s.LoansLast30d, &s.ActiveMembers)
	if err != nil {
		return nil, err
	}
	return s, nil
}
