package plots

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// Handler serves the allotment plot endpoints. Every association (one per
// town or parish) shares the same database; association_id scopes the rows.
type Handler struct {
	DB *sql.DB
}

type Plot struct {
	ID       int64   `json:"id"`
	Label    string  `json:"label"`
	SizeM2   float64 `json:"size_m2"`
	HasWater bool    `json:"has_water"`
	Status   string  `json:"status"`
}

func (h *Handler) Routes(r chi.Router) {
	r.Get("/associations/{assocID}/plots/{plotID}", h.getPlot)
	r.Post("/associations/{assocID}/plots/{plotID}/claim", h.claimPlot)
}

func (h *Handler) getPlot(w http.ResponseWriter, r *http.Request) {
	plotID, err := strconv.ParseInt(chi.URLParam(r, "plotID"), 10, 64)
	if err != nil {
		http.Error(w, "bad plot id", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	var p Plot
	err = h.DB.QueryRowContext(ctx,
		`SELECT id, label, size_m2, has_water, status FROM plots WHERE id = $1`,
		plotID,
	).Scan(&p.ID, &p.Label, &p.SizeM2, &p.HasWater, &p.Status)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "plot not found", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(p)
}

type claimRequest struct {
	MemberID int64 `json:"member_id"`
}

// claimPlot gives a vacant plot to a member who has reached the top of the
// waiting list. Plots become vacant a few times a year, usually in spring, and
// the committee announces them by email, so several members claim at once.
func (h *Handler) claimPlot(w http.ResponseWriter, r *http.Request) {
	assocID, _ := strconv.ParseInt(chi.URLParam(r, "assocID"), 10, 64)
	plotID, _ := strconv.ParseInt(chi.URLParam(r, "plotID"), 10, 64)

	var req claimRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.MemberID == 0 {
		http.Error(w, "member_id required", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	var status string
	err := h.DB.QueryRowContext(ctx,
		`SELECT status FROM plots WHERE id = $1 AND association_id = $2`,
		plotID, assocID,
	).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "plot not found", http.StatusNotFound)
		return
	} else if err != nil {
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}

	if status != "vacant" {
		http.Error(w, "plot already taken", http.StatusConflict)
		return
	}

	if _, err := h.DB.ExecContext(ctx,
		`INSERT INTO plot_tenancies (plot_id, member_id, started_at) VALUES ($1, $2, now())`,
		plotID, req.MemberID,
	); err != nil {
		http.Error(w, "claim failed", http.StatusInternalServerError)
		return
	}
	if _, err := h.DB.ExecContext(ctx,
		`UPDATE plots SET status = 'let' WHERE id = $1 AND association_id = $2`,
		plotID, assocID,
	); err != nil {
		http.Error(w, "claim failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}
