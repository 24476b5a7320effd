package repairs

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"camerafix/internal/auth"
)

// A camera repair shop can ask for a bundle of repair-estimate PDFs (shutter
// overhauls, light-seal kits, lens cleaning) covering hundreds of tickets.
// Building it takes minutes, so the request only records a job row; the
// estimate-worker deployment picks queued jobs up and fills in result_url.

type ExportHandlers struct {
	DB  *sql.DB
	Log *slog.Logger
}

type exportRequest struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

func (h *ExportHandlers) Routes(r chi.Router) {
	r.Post("/estimate-exports", h.create)
	r.Get("/estimate-exports/{jobID}", h.status)
}

// create is safe to retry: the client's Idempotency-Key maps to one job.
func (h *ExportHandlers) create(w http.ResponseWriter, r *http.Request) {
	shopID := auth.ShopID(r.Context())
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 64 {
		http.Error(w, "Idempotency-Key header required", http.StatusBadRequest)
		return
	}
	var req exportRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !req.From.Before(req.To) {
		http.Error(w, "invalid date range", http.StatusBadRequest)
		return
	}
	if req.To.Sub(req.From) > 366*24*time.Hour {
		http.Error(w, "range limited to one year", http.StatusBadRequest)
		return
	}

	var jobID int64
	err := h.DB.QueryRowContext(r.Context(), `
		INSERT INTO estimate_exports (shop_id, idempotency_key, range_from, range_to, status)
		VALUES ($1, $2, $3, $4, 'queued')
		ON CONFLICT (shop_id, idempotency_key)
		DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
		RETURNING id`, shopID, key, req.From, req.To).Scan(&jobID)
	if err != nil {
		h.Log.Error("queue estimate export", "shop", shopID, "err", err)
		http.Error(w, "could not queue export", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Location", "/estimate-exports/"+strconv.FormatInt(jobID, 10))
	h.writeJSON(w, http.StatusAccepted, map[string]any{"job_id": jobID, "status": "queued"})
}

func (h *ExportHandlers) status(w http.ResponseWriter, r *http.Request) {
	shopID := auth.ShopID(r.Context())
	jobID, err := strconv.ParseInt(chi.URLParam(r, "jobID"), 10, 64)
	if err != nil {
		http.Error(w, "bad job id", http.StatusBadRequest)
		return
	}
	var (
		status    string
		resultURL sql.NullString
		failure   sql.NullString
	)
	err = h.DB.QueryRowContext(r.Context(), `
		SELECT status, result_url, failure_reason
		FROM estimate_exports
		WHERE id = $1 AND shop_id = $2`, jobID, shopID).Scan(&status, &resultURL, &failure)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.Log.Error("export status", "shop", shopID, "job", jobID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h.writeJSON(w, http.StatusOK, map[string]any{
		"job_id":     jobID,
		"status":     status,
		"result_url": resultURL.String,
		"failure":    failure.String,
	})
}

func (h *ExportHandlers) writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		h.Log.Warn("write response", "err", err)
	}
}
