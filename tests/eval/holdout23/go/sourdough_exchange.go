package exchange

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"example.org/crumb/internal/session"
)

// Members of the starter exchange list spare portions of their sourdough
// starter; another member claims a portion and arranges a pickup.
type Handler struct {
	DB  *sql.DB // shared pool, configured in cmd/api/main.go
	Log *slog.Logger
}

type Portion struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Flour     string    `json:"flour"`
	AgeYears  int       `json:"age_years"`
	Area      string    `json:"area"`
	CreatedAt time.Time `json:"created_at"`
}

func (h *Handler) Routes(r chi.Router) {
	r.Get("/portions", h.Available)
	r.Post("/portions/{id}/claim", h.Claim)
}

// Available lists unclaimed portions, newest first, using a keyset cursor.
func (h *Handler) Available(w http.ResponseWriter, r *http.Request) {
	before, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	if err != nil || before <= 0 {
		before = 1<<63 - 1
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	rows, err := h.DB.QueryContext(ctx, `SELECT id, name, flour, age_years, area, created_at FROM starter_portions WHERE claimed_by IS NULL AND id < $1 ORDER BY id DESC LIMIT 30`, before)
	if err != nil {
		h.Log.Error("list portions", "err", err)
		http.Error(w, "could not load portions", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	portions := make([]Portion, 0, 30)
	for rows.Next() {
		var p Portion
		if err := rows.Scan(&p.ID, &p.Name, &p.Flour, &p.AgeYears, &p.Area, &p.CreatedAt); err != nil {
			h.Log.Error("scan portion", "err", err)
			http.Error(w, "could not load portions", http.StatusInternalServerError)
			return
		}
		portions = append(portions, p)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(portions)
}

// Claim marks a portion as taken by the current member.
func (h *Handler) Claim(w http.ResponseWriter, r *http.Request) {
	member := session.Member(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		h.Log.Error("claim: begin", "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	// Only one member can win: the row is updated only while claimed_by is still NULL.
	var ownerID int64
	err = tx.QueryRowContext(ctx, `UPDATE starter_portions SET claimed_by = $1, claimed_at = now() WHERE id = $2 AND claimed_by IS NULL AND owner_id <> $1 RETURNING owner_id`, member.ID, id).Scan(&ownerID)
	if err == sql.ErrNoRows {
		http.Error(w, "portion already claimed", http.StatusConflict)
		return
	}
	if err != nil {
		h.Log.Error("claim: update", "portion", id, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}

	if _, err := tx.ExecContext(ctx, `UPDATE members SET portions_given = portions_given + 1 WHERE id = $1`, ownerID); err != nil {
		h.Log.Error("claim: owner tally", "owner", ownerID, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	if err := tx.Commit(); err != nil {
		h.Log.Error("claim: commit", "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
