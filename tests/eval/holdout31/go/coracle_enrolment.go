package courses

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// Coracle-building weekend courses. Each river trust running courses is a tenant (org_id);
// the auth middleware puts the org and member on the request context.

type Handler struct {
	db  *sql.DB
	log *slog.Logger
}

// enrol handles POST /courses/{courseID}/enrol.
func (h *Handler) enrol(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	orgID, memberID := orgID(ctx), memberID(ctx)
	courseID, err := strconv.ParseInt(chi.URLParam(r, "courseID"), 10, 64)
	if err != nil {
		http.Error(w, "bad course id", http.StatusBadRequest)
		return
	}

	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		h.fail(w, "begin enrol", err)
		return
	}
	defer tx.Rollback()
	// Claim a place atomically: the row only changes while a place is still free.
	res, err := tx.ExecContext(ctx,
		`UPDATE coracle_courses SET places_left = places_left - 1
		  WHERE id = $1 AND org_id = $2 AND places_left > 0`, courseID, orgID)
	if err != nil {
		h.fail(w, "claim place", err)
		return
	}
	claimed, err := res.RowsAffected()
	if err != nil {
		h.fail(w, "claim place rows", err)
		return
	}
	if claimed == 0 {
		http.Error(w, "this course is full", http.StatusConflict)
		return
	}

	// UNIQUE (course_id, member_id): a double submit does not take a second place.
	res, err = tx.ExecContext(ctx,
		`INSERT INTO coracle_enrolments (org_id, course_id, member_id)
		 VALUES ($1, $2, $3)
		 ON CONFLICT (course_id, member_id) DO NOTHING`, orgID, courseID, memberID)
	if err != nil {
		h.fail(w, "insert enrolment", err)
		return
	}
	inserted, err := res.RowsAffected()
	if err != nil {
		h.fail(w, "enrolment rows", err)
		return
	}
	if inserted == 0 {
		// Already enrolled; the deferred rollback gives the claimed place back.
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := tx.Commit(); err != nil {
		h.fail(w, "commit enrolment", err)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// list handles GET /courses?after=<id>&limit=<n>.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	rows, err := h.db.QueryContext(ctx,
		`SELECT id, title, starts_on, places_left
		   FROM coracle_courses
		  WHERE org_id = $1 AND starts_on >= current_date AND id > $2
		  ORDER BY id
		  LIMIT $3`, orgID(ctx), after, limit)
	if err != nil {
		h.fail(w, "list courses", err)
		return
	}
	defer rows.Close()
	type course struct {
		ID         int64     `json:"id"`
		Title      string    `json:"title"`
		StartsOn   time.Time `json:"starts_on"`
		PlacesLeft int       `json:"places_left"`
	}
	out := make([]course, 0, limit)
	for rows.Next() {
		var c course
		if err := rows.Scan(&c.ID, &c.Title, &c.StartsOn, &c.PlacesLeft); err != nil {
			h.fail(w, "scan course", err)
			return
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		h.fail(w, "iterate courses", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func (h *Handler) fail(w http.ResponseWriter, op string, err error) {
	h.log.Error(op, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
