package envelopes

// HTTP handlers for the e-signature service. Sits behind the nginx ingress
// (proxy_read_timeout 30s). Documents are typically 5-400 pages.

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"example.com/signing/internal/pdf"
	"example.com/signing/internal/tsa"
)

type Handlers struct {
	DB    *sqlx.DB
	Redis *redis.Client
	TSA   *tsa.Client // RFC 3161 timestamp authority, 10s client timeout
}

// finalized PDFs, served from memory so downloads right after signing are fast
var (
	renderedMu sync.RWMutex
	rendered   = map[int64][]byte{}
)

// Finalize stamps every page with the signatures, gets a trusted timestamp
// per page and stores the sealed document.
func (h *Handlers) Finalize(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, _ := strconv.ParseInt(chi.URLParam(r, "envelopeID"), 10, 64)
	orgID := r.Context().Value(orgKey).(int64)

	var env Envelope
	if err := h.DB.GetContext(ctx, &env, `SELECT * FROM envelopes WHERE id = $1 AND org_id = $2`, id, orgID); err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	pages, err := pdf.Split(env.SourcePDF)
	if err != nil {
		http.Error(w, "corrupt document", http.StatusUnprocessableEntity)
		return
	}
	sealed := make([][]byte, len(pages))
	for i, page := range pages {
		stamped, err := pdf.StampSignatures(page, env.Signatures)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		token, err := h.TSA.Timestamp(ctx, stamped)
		if err != nil {
			http.Error(w, "timestamp authority error", http.StatusBadGateway)
			return
		}
		sealed[i] = pdf.EmbedTimestamp(stamped, token)
	}
	out := pdf.Merge(sealed)

	if _, err := h.DB.ExecContext(ctx, `UPDATE envelopes SET sealed_pdf = $1, status = 'completed', completed_at = now()
		WHERE id = $2 AND org_id = $3`, out, id, orgID); err != nil {
		http.Error(w, "save failed", http.StatusInternalServerError)
		return
	}
	renderedMu.Lock()
	rendered[id] = out
	renderedMu.Unlock()
	w.WriteHeader(http.StatusOK)
}

type orgStats struct {
	Sent, Completed, Declined int
	MedianHoursToSign       float64
}

// Stats feeds the org dashboard, which every open tab polls every 10s.
func (h *Handlers) Stats(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	orgID := ctx.Value(orgKey).(int64)
	key := "envstats:" + strconv.FormatInt(orgID, 10)

	if b, err := h.Redis.Get(ctx, key).Bytes(); err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
		return
	}
	var s orgStats
	err := h.DB.QueryRowxContext(ctx, `
		SELECT count(*) FILTER (WHERE status <> 'draft'),
		       count(*) FILTER (WHERE status = 'completed'),
		       count(*) FILTER (WHERE status = 'declined'),
		       coalesce(percentile_cont(0.5) WITHIN GROUP (
		           ORDER BY extract(epoch FROM completed_at - sent_at) / 3600), 0)
		FROM envelopes
		WHERE org_id = $1`, orgID).Scan(&s.Sent, &s.Completed, &s.Declined, &s.MedianHoursToSign)
	if err != nil {
		http.Error(w, "stats unavailable", http.StatusInternalServerError)
		return
	}
	b, _ := json.Marshal(s)
	h.Redis.Set(context.Background(), key, b, 60*time.Second)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
