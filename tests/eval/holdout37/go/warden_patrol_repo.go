package patrols

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Repository for coastal path warden patrols. Several county path
// partnerships share the deployment; every query is scoped to the caller's
// district, which the HTTP layer takes from the signed-in warden's token.

const queryTimeout = 4 * time.Second

var ErrNotFound = errors.New("patrol not found")

type Patrol struct {
	ID          int64     `db:"id" json:"id"`
	DistrictID  int64     `db:"district_id" json:"-"`
	WardenID    int64     `db:"warden_id" json:"warden_id"`
	Section     string    `db:"section" json:"section"`
	StartedAt   time.Time `db:"started_at" json:"started_at"`
	MilesWalked float64   `db:"miles_walked" json:"miles_walked"`
}

type Repo struct {
	db *sqlx.DB
}

func NewRepo(db *sqlx.DB) *Repo { return &Repo{db: db} }

// ListPatrols returns one page, newest first. Pass the last row of the
// previous page as the cursor; the zero cursor starts at the top.
func (r *Repo) ListPatrols(ctx context.Context, districtID int64, before time.Time, beforeID int64, limit int) ([]Patrol, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	if before.IsZero() {
		before, beforeID = time.Now().Add(time.Hour), 1<<62
	}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()

	var out []Patrol
	err := r.db.SelectContext(ctx, &out, `
		SELECT id, district_id, warden_id, section, started_at, miles_walked
		FROM patrols
		WHERE district_id = $1 AND (started_at, id) < ($2, $3)
		ORDER BY started_at DESC, id DESC
		LIMIT $4`, districtID, before, beforeID, limit)
	if err != nil {
		return nil, fmt.Errorf("list patrols for district %d: %w", districtID, err)
	}
	return out, nil
}

func (r *Repo) GetPatrol(ctx context.Context, districtID, id int64) (Patrol, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()

	var p Patrol
	err := r.db.GetContext(ctx, &p, `
		SELECT id, district_id, warden_id, section, started_at, miles_walked
		FROM patrols WHERE id = $1 AND district_id = $2`, id, districtID)
	if errors.Is(err, sql.ErrNoRows) {
		return Patrol{}, ErrNotFound
	}
	if err != nil {
		return Patrol{}, fmt.Errorf("get patrol %d: %w", id, err)
	}
	return p, nil
}

// AddMiles is called from the GPS sync as each leg of the walk uploads.
func (r *Repo) AddMiles(ctx context.Context, districtID, id int64, miles float64) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()

	res, err := r.db.ExecContext(ctx, `
		UPDATE patrols SET miles_walked = miles_walked + $1
		WHERE id = $2 AND district_id = $3`, miles, id, districtID)
	if err != nil {
		return fmt.Errorf("add miles to patrol %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// CheckpointNames resolves stile/gate checkpoint ids for a page of patrols in one round trip.
func (r *Repo) CheckpointNames(ctx context.Context, districtID int64, ids []int64) (map[int64]string, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()

	rows, err := r.db.QueryxContext(ctx, `
		SELECT id, name FROM checkpoints
		WHERE district_id = $1 AND id = ANY($2)`, districtID, pq.Array(ids))
	if err != nil {
		return nil, fmt.Errorf("checkpoint names: %w", err)
	}
	defer rows.Close()

	names := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("scan checkpoint: %w", err)
		}
		names[id] = name
	}
	return names, rows.Err()
}
