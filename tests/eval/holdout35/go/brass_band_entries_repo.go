package contests

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	ErrAlreadyEntered = errors.New("band already entered in this contest")
	ErrEntryNotFound  = errors.New("entry not found")
)

const maxPageSize = 100

type Entry struct {
	ID          int64     `db:"id"`
	AssocID     int64     `db:"association_id"`
	ContestID   int64     `db:"contest_id"`
	BandID      int64     `db:"band_id"`
	Section     string    `db:"section"`
	TestPiece   string    `db:"test_piece"`
	Status      string    `db:"status"`
	SubmittedAt time.Time `db:"submitted_at"`
}

// EntryRepo stores contest entries. Every regional brass band association
// shares the same tables, so every statement is scoped by association_id.
type EntryRepo struct {
	db *sqlx.DB
}

func NewEntryRepo(db *sqlx.DB) *EntryRepo { return &EntryRepo{db: db} }

// ListEntries returns one page of entries for a contest using keyset
// pagination on id, so the draw page stays fast late in the season.
func (r *EntryRepo) ListEntries(ctx context.Context, assocID, contestID, afterID int64, limit int) ([]Entry, error) {
	if limit <= 0 || limit > maxPageSize {
		limit = maxPageSize
	}
	var out []Entry
	err := r.db.SelectContext(ctx, &out, `
		SELECT id, association_id, contest_id, band_id, section, test_piece, status, submitted_at
		  FROM contest_entries
		 WHERE association_id = $1 AND contest_id = $2 AND id > $3
		 ORDER BY id
		 LIMIT $4`, assocID, contestID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list entries for contest %d: %w", contestID, err)
	}
	return out, nil
}

// CreateEntry relies on the unique index (contest_id, band_id) so a band
// double-clicking "Submit" cannot end up in the draw twice.
func (r *EntryRepo) CreateEntry(ctx context.Context, e Entry) (int64, error) {
	var id int64
	err := r.db.QueryRowxContext(ctx, `
		INSERT INTO contest_entries (association_id, contest_id, band_id, section, test_piece, status)
		VALUES ($1, $2, $3, $4, $5, 'entered')
		ON CONFLICT (contest_id, band_id) DO NOTHING
		RETURNING id`,
		e.AssocID, e.ContestID, e.BandID, e.Section, e.TestPiece).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrAlreadyEntered
	}
	if err != nil {
		return 0, fmt.Errorf("create entry for band %d: %w", e.BandID, err)
	}
	return id, nil
}

func (r *EntryRepo) GetEntry(ctx context.Context, assocID, entryID int64) (*Entry, error) {
	var e Entry
	err := r.db.GetContext(ctx, &e, `
		SELECT id, association_id, contest_id, band_id, section, test_piece, status, submitted_at
		  FROM contest_entries
		 WHERE association_id = $1 AND id = $2`, assocID, entryID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrEntryNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get entry %d: %w", entryID, err)
	}
	return &e, nil
}

// WithdrawEntry only flips entries that are still "entered"; a band that was
// already drawn must be withdrawn by the contest controller instead.
func (r *EntryRepo) WithdrawEntry(ctx context.Context, assocID, entryID int64) error {
	res, err := r.db.ExecContext(ctx, `
		UPDATE contest_entries
		   SET status = 'withdrawn', withdrawn_at = now()
		 WHERE association_id = $1 AND id = $2 AND status = 'entered'`, assocID, entryID)
	if err != nil {
		return fmt.Errorf("withdraw entry %d: %w", entryID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("withdraw entry %d: rows affected: %w", entryID, err)
	}
	if n == 0 {
		return ErrEntryNotFound
	}
	return nil
}
