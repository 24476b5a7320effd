package pitches

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"
)

// Ice-cream vans hold a street pitch (school gates, park entrance) for the
// afternoon while they drive over. A hold lapses after 45 minutes if the van
// never checks in. Schema:
//
//   CREATE TABLE pitch_holds (
//       pitch_id   bigint      NOT NULL,
//       day        date        NOT NULL,
//       van_id     bigint      NOT NULL,
//       expires_at timestamptz NOT NULL,
//       PRIMARY KEY (pitch_id, day)
//   );
//   CREATE INDEX pitch_holds_expires_idx ON pitch_holds (expires_at);

var ErrPitchHeld = errors.New("pitch already held by another van")

const holdTTL = 45 * time.Minute

type Holds struct {
	DB  *sql.DB
	Log *slog.Logger
}

// Hold takes the pitch for today. An expired hold from another van is replaced
// in the same statement; a live one makes the insert a no-op.
func (h *Holds) Hold(ctx context.Context, pitchID, vanID int64) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()

	res, err := h.DB.ExecContext(ctx, `
		INSERT INTO pitch_holds (pitch_id, day, van_id, expires_at)
		VALUES ($1, current_date, $2, now() + $3 * interval '1 second')
		ON CONFLICT (pitch_id, day) DO UPDATE
		   SET van_id = EXCLUDED.van_id, expires_at = EXCLUDED.expires_at
		 WHERE pitch_holds.expires_at < now() OR pitch_holds.van_id = EXCLUDED.van_id`,
		pitchID, vanID, int(holdTTL.Seconds()))
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrPitchHeld
	}
	return nil
}

// RunJanitor deletes lapsed holds in small batches so the table stays tiny.
// Started once from main with the app's root context.
func (h *Holds) RunJanitor(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := h.purgeExpired(ctx); err != nil {
				h.Log.Error("purge expired pitch holds", "err", err)
			}
		}
	}
}

func (h *Holds) purgeExpired(ctx context.Context) error {
	for {
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		res, err := h.DB.ExecContext(qctx, `
			DELETE FROM pitch_holds
			 WHERE ctid IN (SELECT ctid FROM pitch_holds
			                 WHERE expires_at < now() - interval '1 hour'
			                 LIMIT 1000)`)
		cancel()
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		h.Log.Debug("purged pitch holds", "rows", n)
		if n < 1000 {
			return nil
		}
	}
}
