package shifts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Volunteer lock-keeper rota. Each canal trust is a tenant: every table carries
// trust_id and the API resolves it from the signed-in coordinator's account.

type Shift struct {
	ID          int64         `db:"id"`
	TrustID     int64         `db:"trust_id"`
	LockID      int64         `db:"lock_id"`
	VolunteerID sql.NullInt64 `db:"volunteer_id"`
	StartsAt    time.Time     `db:"starts_at"`
	EndsAt      time.Time     `db:"ends_at"`
}

type Volunteer struct {
	ID          int64     `db:"id"`
	DisplayName string    `db:"display_name"`
	Phone       string    `db:"phone"`
	QualifiedAt time.Time `db:"qualified_at"`
}

type ShiftView struct {
	Shift
	Volunteer *Volunteer `json:"volunteer,omitempty"`
}

var ErrShiftNotFound = errors.New("shift not found")

type Repo struct {
	db *sqlx.DB
}

func NewRepo(db *sqlx.DB) *Repo { return &Repo{db: db} }

// UpcomingShifts returns the next shifts at one lock together with who is covering them,
// for the coordinator's rota screen.
func (r *Repo) UpcomingShifts(ctx context.Context, trustID, lockID int64, from time.Time, limit int) ([]ShiftView, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	var shifts []Shift
	err := r.db.SelectContext(ctx, &shifts,
		`SELECT id, trust_id, lock_id, volunteer_id, starts_at, ends_at
		   FROM lock_shifts
		  WHERE trust_id = $1 AND lock_id = $2 AND starts_at >= $3
		  ORDER BY starts_at
		  LIMIT $4`, trustID, lockID, from, limit)
	if err != nil {
		return nil, fmt.Errorf("select shifts: %w", err)
	}

	views := make([]ShiftView, 0, len(shifts))
	for _, s := range shifts {
		view := ShiftView{Shift: s}
		if s.VolunteerID.Valid {
			var v Volunteer
			err := r.db.GetContext(ctx, &v,
				`SELECT id, display_name, phone, qualified_at FROM volunteers WHERE trust_id = $1 AND id = $2`,
				trustID, s.VolunteerID.Int64)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("load volunteer %d: %w", s.VolunteerID.Int64, err)
			}
			if err == nil {
				view.Volunteer = &v
			}
		}
		views = append(views, view)
	}
	return views, nil
}

// CreateShift adds an uncovered shift to the rota.
func (r *Repo) CreateShift(ctx context.Context, trustID, lockID int64, start, end time.Time) (int64, error) {
	var id int64
	err := r.db.QueryRowxContext(ctx,
		`INSERT INTO lock_shifts (trust_id, lock_id, starts_at, ends_at)
		 VALUES ($1, $2, $3, $4) RETURNING id`, trustID, lockID, start, end).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert shift: %w", err)
	}
	return id, nil
}

// ReleaseShift frees a shift when the volunteer drops out, so others can pick it up.
func (r *Repo) ReleaseShift(ctx context.Context, trustID, shiftID int64) error {
	res, err := r.db.ExecContext(ctx,
		`UPDATE lock_shifts SET volunteer_id = NULL, released_at = now() WHERE id = $1`, shiftID)
	if err != nil {
		return fmt.Errorf("release shift %d: %w", shiftID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrShiftNotFound
	}
	return nil
}
