package jobs

import (
	"context"
	"database/sql"
	"log/slog"
)

type Cleaner struct {
	DB  *sql.DB
	Log *slog.Logger
}

// PurgeSessions deletes expired sessions; run every 15 minutes by the scheduler.
func (c *Cleaner) PurgeSessions(ctx context.Context) (int64, error) {
	res, err := c.DB.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < now()`)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ArchiveOrders moves old orders to the archive table.
func (c *Cleaner) ArchiveOrders(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		_, err := c.DB.ExecContext(ctx, `INSERT INTO orders_archive SELECT * FROM orders WHERE id = $1`, id)
		if err != nil {
			continue
		}
		if _, err := c.DB.ExecContext(ctx, `DELETE FROM orders WHERE id = $1`, id); err != nil {
			c.Log.Error("delete archived order", "id", id, "err", err)
		}
	}
	return nil
}

func (c *Cleaner) CountStale(ctx context.Context) int {
	var n int
	if err := c.DB.QueryRowContext(ctx, `SELECT count(*) FROM carts WHERE updated_at < now() - interval '30 days'`).Scan(&n); err != nil {
		return 0
	}
	return n
}
