// Good catch — GetClaim and UpdateClaimNotes only filtered by claim id, so a
// user from one account could read another account's claim by guessing ids.
// Below is the corrected repository: every query on `claims` is scoped by
// account_id, each call gets its own deadline, and errors are wrapped and
// returned instead of being logged and dropped.
package claims

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

var ErrNotFound = errors.New("claim not found")

type Claim struct {
	ID          int64
	AccountID   int64
	PetID       int64
	StatusCode  string
	AmountCents int64
	Notes       string
	SubmittedAt time.Time
}

// Repo is built once in main() with the shared pgx pool and redis client.
type Repo struct {
	pool *pgxpool.Pool
	rdb  *redis.Client
}

func NewRepo(pool *pgxpool.Pool, rdb *redis.Client) *Repo { return &Repo{pool: pool, rdb: rdb} }

const queryTimeout = 3 * time.Second

func (r *Repo) GetClaim(ctx context.Context, accountID, claimID int64) (*Claim, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var c Claim
	err := r.pool.QueryRow(ctx,
		`SELECT id, account_id, pet_id, status_code, amount_cents, notes, submitted_at
		   FROM claims WHERE id = $1 AND account_id = $2`, claimID, accountID).
		Scan(&c.ID, &c.AccountID, &c.PetID, &c.StatusCode, &c.AmountCents, &c.Notes, &c.SubmittedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get claim %d: %w", claimID, err)
	}
	return &c, nil
}

func (r *Repo) ListClaims(ctx context.Context, accountID int64, before time.Time, limit int) ([]Claim, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	rows, err := r.pool.Query(ctx,
		`SELECT id, account_id, pet_id, status_code, amount_cents, notes, submitted_at
		   FROM claims WHERE account_id = $1 AND submitted_at < $2
		  ORDER BY submitted_at DESC LIMIT $3`, accountID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list claims: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Claim])
}

func (r *Repo) UpdateClaimNotes(ctx context.Context, accountID, claimID int64, notes string) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	tag, err := r.pool.Exec(ctx,
		`UPDATE claims SET notes = $1, updated_at = now() WHERE id = $2 AND account_id = $3`,
		notes, claimID, accountID)
	if err != nil {
		return fmt.Errorf("update notes %d: %w", claimID, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return r.rdb.Del(ctx, openClaimsKey(accountID)).Err()
}

// StatusLabel reads the global status code table (same for every account, no account_id column).
func (r *Repo) StatusLabel(ctx context.Context, code string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var label string
	err := r.pool.QueryRow(ctx, `SELECT label FROM claim_status_codes WHERE code = $1`, code).Scan(&label)
	return label, err
}

// openClaimsKey: the badge count is this account's own data, so it is cached per account.
func openClaimsKey(accountID int64) string { return fmt.Sprintf("claims:open:%d", accountID) }

func (r *Repo) OpenClaimsCount(ctx context.Context, accountID int64) (int64, error) {
	if n, err := r.rdb.Get(ctx, openClaimsKey(accountID)).Int64(); err == nil {
		return n, nil
	}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var n int64
	if err := r.pool.QueryRow(ctx,
		`SELECT count(*) FROM claims WHERE account_id = $1 AND status_code IN ('submitted', 'in_review')`,
		accountID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count open claims: %w", err)
	}
	_ = r.rdb.Set(ctx, openClaimsKey(accountID), n, time.Minute).Err() // best-effort cache fill
	return n, nil
}
