package allotments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Waiting lists for the parish councils on the platform. Every table has a
// council_id column; callers pass the council from the officer's session.

var ErrOfferGone = errors.New("offer no longer open")

type WaitingEntry struct {
	ID           int64     `db:"id" json:"id"`
	ResidentName string    `db:"resident_name" json:"resident_name"`
	JoinedAt     time.Time `db:"joined_at" json:"joined_at"`
	Status       string    `db:"status" json:"status"`
}

type Cursor struct {
	JoinedAt time.Time
	ID       int64
}

type Store struct{ db *sqlx.DB }

const pageSize = 50

// WaitingList returns one page of a site's list in joining order.
func (s *Store) WaitingList(ctx context.Context, councilID, siteID int64, after Cursor) ([]WaitingEntry, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	var out []WaitingEntry
	err := s.db.SelectContext(ctx, &out, `
		SELECT id, resident_name, joined_at, status
		  FROM waiting_list
		 WHERE council_id = $1 AND site_id = $2 AND status IN ('waiting', 'offered')
		   AND (joined_at, id) > ($3, $4)
		 ORDER BY joined_at, id
		 LIMIT $5`, councilID, siteID, after.JoinedAt, after.ID, pageSize)
	if err != nil {
		return nil, fmt.Errorf("waiting list council=%d site=%d: %w", councilID, siteID, err)
	}
	return out, nil
}

// AcceptOffer lets a resident take up the plot they were offered. The status
// transition and the plot letting happen in one transaction, and each UPDATE
// only matches while the row is still in the expected state, so a double
// click or a clerk withdrawing the offer at the same moment cannot both win.
func (s *Store) AcceptOffer(ctx context.Context, councilID, entryID, residentID int64) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()

	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	var plotID int64
	err = tx.GetContext(ctx, &plotID, `
		UPDATE waiting_list
		   SET status = 'accepted', accepted_at = now()
		 WHERE council_id = $1 AND id = $2 AND resident_id = $3 AND status = 'offered'
		RETURNING offered_plot_id`, councilID, entryID, residentID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrOfferGone
	}
	if err != nil {
		return 0, fmt.Errorf("accept entry %d: %w", entryID, err)
	}

	res, err := tx.ExecContext(ctx, `
		UPDATE plots
		   SET status = 'let', tenant_resident_id = $1, let_from = current_date
		 WHERE council_id = $2 AND id = $3 AND status = 'offered'`, residentID, councilID, plotID)
	if err != nil {
		return 0, fmt.Errorf("let plot %d: %w", plotID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("let plot %d: %w", plotID, err)
	}
	if n != 1 {
		return 0, ErrOfferGone
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit accept: %w", err)
	}
	return plotID, nil
}
