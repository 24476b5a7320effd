package lms

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"

	"example.com/lms/internal/authctx"
)

var (
	ErrSectionFull     = errors.New("section is full")
	ErrAlreadyEnrolled = errors.New("already enrolled")
	ErrNotOpen         = errors.New("section not open for enrollment")
)

// ---------- repository ----------

type EnrollmentRepo struct{ db *sqlx.DB }

func (r *EnrollmentRepo) sectionStatus(ctx context.Context, tx *sqlx.Tx, schoolID, sectionID int64) (string, error) {
	var status string
	err := tx.GetContext(ctx, &status,
		`SELECT status FROM course_sections WHERE id = $1 AND school_id = $2`, sectionID, schoolID)
	return status, err
}

// insertEnrollment returns false when the student is already enrolled (unique (student_id, section_id)).
func (r *EnrollmentRepo) insertEnrollment(ctx context.Context, tx *sqlx.Tx, schoolID, studentID, sectionID int64) (bool, error) {
	res, err := tx.ExecContext(ctx,
		`INSERT INTO enrollments (school_id, student_id, section_id) VALUES ($1, $2, $3)
		 ON CONFLICT (student_id, section_id) DO NOTHING`, schoolID, studentID, sectionID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// claimSeat decrements seats_left only if one is left; the check and the write are one statement.
func (r *EnrollmentRepo) claimSeat(ctx context.Context, tx *sqlx.Tx, schoolID, sectionID int64) (bool, error) {
	res, err := tx.ExecContext(ctx,
		`UPDATE course_sections SET seats_left = seats_left - 1
		 WHERE id = $1 AND school_id = $2 AND seats_left > 0`, sectionID, schoolID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ---------- service ----------

type EnrollmentService struct{ repo *EnrollmentRepo }

func (s *EnrollmentService) Enroll(ctx context.Context, schoolID, studentID, sectionID int64) error {
	tx, err := s.repo.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	status, err := s.repo.sectionStatus(ctx, tx, schoolID, sectionID)
	if err != nil {
		return err
	}
	if status != "open" {
		return ErrNotOpen
	}
	if ok, err := s.repo.insertEnrollment(ctx, tx, schoolID, studentID, sectionID); err != nil {
		return err
	} else if !ok {
		return ErrAlreadyEnrolled
	}
	if ok, err := s.repo.claimSeat(ctx, tx, schoolID, sectionID); err != nil {
		return err
	} else if !ok {
		return ErrSectionFull // rollback removes the enrollment row
	}
	return tx.Commit()
}

// ---------- HTTP ----------

type EnrollmentHandler struct{ svc *EnrollmentService }

func (h *EnrollmentHandler) Routes(r chi.Router) {
	r.Post("/sections/{sectionID}/enroll", h.enroll)
}

func (h *EnrollmentHandler) enroll(w http.ResponseWriter, r *http.Request) {
	user := authctx.User(r.Context())
	sectionID, err := strconv.ParseInt(chi.URLParam(r, "sectionID"), 10, 64)
	if err != nil {
		http.Error(w, "bad section id", http.StatusBadRequest)
		return
	}
	err = h.svc.Enroll(r.Context(), user.SchoolID, user.ID, sectionID)
	switch {
	case err == nil:
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"section_id": sectionID, "enrolled": true})
	case errors.Is(err, sql.ErrNoRows):
		http.NotFound(w, r)
	case errors.Is(err, ErrSectionFull), errors.Is(err, ErrAlreadyEnrolled), errors.Is(err, ErrNotOpen):
		http.Error(w, err.Error(), http.StatusConflict)
	default:
		log.Printf("enroll student=%d section=%d: %v", user.ID, sectionID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}
