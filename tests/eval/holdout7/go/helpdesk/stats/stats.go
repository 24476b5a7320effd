package stats

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jmoiron/sqlx"
	"golang.org/x/sync/singleflight"
)

// priorityNames is loaded once in Init and only read afterwards.
var priorityNames map[int]string

// Shared client for Slack alerts; the timeout applies to every call made with it.
var slackClient = &http.Client{Timeout: 5 * time.Second}

type Summary struct {
	Open, BreachedSLA int
	ByPriority        map[string]int
}

type Service struct {
	db    *sqlx.DB
	log   *slog.Logger
	group singleflight.Group
	cache *expirable.LRU[int64, *Summary]
}

func Init(ctx context.Context, db *sqlx.DB, log *slog.Logger) (*Service, error) {
	rows := []struct {
		ID   int    `db:"id"`
		Name string `db:"name"`
	}{}
	if err := db.SelectContext(ctx, &rows, `SELECT id, name FROM ticket_priorities`); err != nil {
		return nil, fmt.Errorf("load priorities: %w", err)
	}
	priorityNames = make(map[int]string, len(rows))
	for _, r := range rows {
		priorityNames[r.ID] = r.Name
	}
	return &Service{db: db, log: log, cache: expirable.NewLRU[int64, *Summary](5000, nil, 30*time.Second)}, nil
}

// WorkspaceSummary returns cached counts; on a miss only one goroutine per
// workspace recomputes, the others wait for its result.
func (s *Service) WorkspaceSummary(ctx context.Context, workspaceID int64) (*Summary, error) {
	if sum, ok := s.cache.Get(workspaceID); ok {
		return sum, nil
	}
	v, err, _ := s.group.Do(fmt.Sprint(workspaceID), func() (any, error) {
		sum := &Summary{ByPriority: map[string]int{}}
		var rows []struct {
			Priority int  `db:"priority_id"`
			Breached bool `db:"breached"`
			N        int  `db:"n"`
		}
		err := s.db.SelectContext(ctx, &rows, `
			SELECT priority_id, (sla_due_at < now()) AS breached, count(*) AS n
			  FROM tickets
			 WHERE workspace_id = $1 AND status = 'open'
			 GROUP BY 1, 2`, workspaceID)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			sum.Open += r.N
			if r.Breached {
				sum.BreachedSLA += r.N
			}
			sum.ByPriority[priorityNames[r.Priority]] += r.N
		}
		s.cache.Add(workspaceID, sum)
		return sum, nil
	})
	if err != nil {
		s.log.Error("workspace summary", "workspace_id", workspaceID, "err", err)
		return nil, fmt.Errorf("workspace summary %d: %w", workspaceID, err)
	}
	return v.(*Summary), nil
}

type breached struct {
	ID      int64  `db:"id"`
	Subject string `db:"subject"`
}

// AlertBreaches posts the workspace's breached tickets to Slack, one message
// per page of 200 tickets (keyset pagination, one query per page).
func (s *Service) AlertBreaches(ctx context.Context, workspaceID int64, webhookURL string) error {
	var afterID int64
	for {
		var page []breached
		err := s.db.SelectContext(ctx, &page, `
			SELECT id, subject FROM tickets
			 WHERE workspace_id = $1 AND status = 'open' AND sla_due_at < now() AND id > $2
			 ORDER BY id LIMIT 200`, workspaceID, afterID)
		if err != nil {
			return fmt.Errorf("load breached tickets: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		body, _ := json.Marshal(map[string]any{"text": fmt.Sprintf("%d tickets breached SLA", len(page)), "tickets": page})
		resp, err := slackClient.Post(webhookURL, "application/json", bytes.NewReader(body))
		if err != nil {
			s.log.Warn("slack alert failed", "workspace_id", workspaceID, "err", err)
			return err
		}
		resp.Body.Close()
		afterID = page[len(page)-1].ID
	}
}
