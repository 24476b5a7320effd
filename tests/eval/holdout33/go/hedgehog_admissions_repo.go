package admissions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// The rescue platform is shared by several hedgehog hospitals; every table
// carries hospital_id and the API resolves it from the signed-in carer.

type Admission struct {
	ID          int64          `db:"id" json:"id"`
	HospitalID  int64          `db:"hospital_id" json:"hospital_id"`
	Nickname    string         `db:"nickname" json:"nickname"`
	WeightGrams int            `db:"weight_grams" json:"weight_grams"`
	FoundAt     string         `db:"found_at" json:"found_at"`
	Condition   string         `db:"condition" json:"condition"`
	Status      string         `db:"status" json:"status"`
	Notes       sql.NullString `db:"notes" json:"notes"`
	AdmittedAt  time.Time      `db:"admitted_at" json:"admitted_at"`
}

var ErrNotFound = errors.New("admission not found")

type Repo struct {
	db *sqlx.DB
}

func NewRepo(db *sqlx.DB) *Repo { return &Repo{db: db} }

// ListCurrent returns one page of animals still in care at a hospital.
func (r *Repo) ListCurrent(ctx context.Context, hospitalID int64, limit, offset int) ([]Admission, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	var out []Admission
	err := r.db.SelectContext(ctx, &out, `
		SELECT id, hospital_id, nickname, weight_grams, found_at, condition, status, notes, admitted_at
		FROM admissions
		WHERE hospital_id = $1 AND status IN ('intensive', 'recovering', 'overwintering')
		ORDER BY admitted_at DESC
		LIMIT $2 OFFSET $3`, hospitalID, limit, offset)
	return out, err
}

// Get loads a single admission record for the detail page.
func (r *Repo) Get(ctx context.Context, id int64) (*Admission, error) {
	var a Admission
	err := r.db.GetContext(ctx, &a, `SELECT * FROM admissions WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get admission %d: %w", id, err)
	}
	return &a, nil
}

// UpdateWeight records the morning weigh-in.
func (r *Repo) UpdateWeight(ctx context.Context, hospitalID, id int64, grams int) error {
	res, err := r.db.ExecContext(ctx, `
		UPDATE admissions SET weight_grams = $1
		WHERE id = $2 AND hospital_id = $3`, grams, id, hospitalID)
	if err != nil {
		return fmt.Errorf("update weight: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// History feeds GET /admissions/export, which the hospitals download as CSV
// for their annual return to the county wildlife trust.
func (r *Repo) History(ctx context.Context, hospitalID int64) ([]Admission, error) {
	var out []Admission
	err := r.db.SelectContext(ctx, &out, `SELECT * FROM admissions WHERE hospital_id = $1 ORDER BY admitted_at`, hospitalID)
	if err != nil {
		return nil, fmt.Errorf("admission history: %w", err)
	}
	return out, nil
}
