// Rack claims for the cheese cave: an affineur claims a ripening rack before
// turning/brushing the wheels on it, so two people don't work the same batch.
// The service runs as 3 replicas; claims live in Postgres, coordination in Redis.
package cave

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

const claimTTL = 20 * time.Minute

var ErrRackBusy = errors.New("rack is claimed by someone else")

type Claims struct {
	DB  *sql.DB
	RDB *redis.Client
	Log *slog.Logger
}

// Claim takes the rack if it is free or the previous claim has lapsed. The
// conditional upsert makes the check and the write one statement.
func (c *Claims) Claim(ctx context.Context, rackID, affineurID int64) (time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()

	var expires time.Time
	err := c.DB.QueryRowContext(ctx,
		`INSERT INTO rack_claims (rack_id, affineur_id, claimed_at, expires_at)
		 VALUES ($1, $2, now(), now() + $3::interval)
		 ON CONFLICT (rack_id) DO UPDATE
		    SET affineur_id = EXCLUDED.affineur_id,
		        claimed_at  = EXCLUDED.claimed_at,
		        expires_at  = EXCLUDED.expires_at
		  WHERE rack_claims.expires_at < now() OR rack_claims.affineur_id = EXCLUDED.affineur_id
		 RETURNING expires_at`,
		rackID, affineurID, claimTTL.String()).Scan(&expires)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, ErrRackBusy
	}
	if err != nil {
		return time.Time{}, err
	}
	return expires, nil
}

// RunClaimSweeper is started once from main with the app's root context. Every
// few minutes one replica (whoever gets the Redis lock) deletes lapsed claims
// in small batches so the table stays tiny.
func (c *Claims) RunClaimSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.sweepOnce(ctx); err != nil {
				c.Log.Error("rack claim sweep failed", "err", err)
			}
		}
	}
}

func (c *Claims) sweepOnce(ctx context.Context) error {
	ok, err := c.RDB.SetNX(ctx, "cave:rack-claim-sweeper", "1", 2*time.Minute).Result()
	if err != nil {
		return err
	}
	if !ok {
		return nil // another replica is sweeping
	}
	defer c.RDB.Del(context.WithoutCancel(ctx), "cave:rack-claim-sweeper")

	total := int64(0)
	for {
		res, err := c.DB.ExecContext(ctx,
			`DELETE FROM rack_claims
			  WHERE ctid IN (SELECT ctid FROM rack_claims
			                  WHERE expires_at < now() - interval '1 hour'
			                  LIMIT 500)`)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		total += n
		if n < 500 {
			break
		}
	}
	c.Log.Info("rack claims swept", "deleted", total)
	return nil
}
