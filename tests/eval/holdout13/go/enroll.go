// Here's a fixed version of your enroll handler.
//
// The problem in the original: it ran `SELECT seats_taken, capacity ...`, compared
// the numbers in Go, and then did `UPDATE sections SET seats_taken = $1`. Two
// students hitting "Register" at 7:00:00 for the last seat in CHEM 201 can both
// read 29/30 and both get in (and the counter ends up at 30, not 31).
//
// The fix moves the capacity check into the UPDATE itself and relies on the
// UNIQUE (student_id, section_id) constraint for double-clicks, all in one
// transaction. No extra locking needed.
package registration

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	ErrSectionFull     = errors.New("section is full")
	ErrAlreadyEnrolled = errors.New("already enrolled in this section")
)

type Enroller struct {
	Pool *pgxpool.Pool // created once in main with pgxpool.New
}

// Enroll registers a student for a section. It is safe to call concurrently.
func (e *Enroller) Enroll(ctx context.Context, studentID, sectionID int64) error {
	return pgx.BeginFunc(ctx, e.Pool, func(tx pgx.Tx) error {
		// 1. Record the enrollment; the unique constraint makes double submits a no-op.
		tag, err := tx.Exec(ctx,
			`INSERT INTO enrollments (student_id, section_id, status)
			 VALUES ($1, $2, 'enrolled')
			 ON CONFLICT (student_id, section_id) DO NOTHING`, studentID, sectionID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrAlreadyEnrolled
		}

		// 2. Take a seat only if one is left. Postgres re-checks the WHERE clause
		//    against the latest row version, so this cannot oversell.
		tag, err = tx.Exec(ctx,
			`UPDATE sections
			    SET seats_taken = seats_taken + 1
			  WHERE id = $1 AND seats_taken < capacity`, sectionID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrSectionFull // returning an error rolls back step 1
		}
		return nil
	})
}

// EnrollHandler: POST /sections/{sectionID}/enroll
func (e *Enroller) EnrollHandler(w http.ResponseWriter, r *http.Request) {
	sectionID, err := strconv.ParseInt(chi.URLParam(r, "sectionID"), 10, 64)
	if err != nil {
		http.Error(w, "invalid section id", http.StatusBadRequest)
		return
	}
	studentID := StudentIDFromContext(r.Context())

	err = e.Enroll(r.Context(), studentID, sectionID)
	switch {
	case errors.Is(err, ErrSectionFull):
		writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error(), "hint": "join the waitlist"})
	case errors.Is(err, ErrAlreadyEnrolled):
		writeJSON(w, http.StatusOK, map[string]string{"status": "already_enrolled"})
	case err != nil:
		http.Error(w, "enrollment failed", http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusCreated, map[string]string{"status": "enrolled"})
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// Also make sure the migration has these (you probably already do):
//
//   ALTER TABLE enrollments ADD CONSTRAINT enrollments_student_section_key UNIQUE (student_id, section_id);
//   ALTER TABLE sections ADD CONSTRAINT seats_within_capacity CHECK (seats_taken <= capacity);
