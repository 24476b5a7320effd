package efiling

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"strconv"

	"github.com/jmoiron/sqlx"

	"github.com/clerkline/efile/internal/auth"
	"github.com/clerkline/efile/internal/courtapi"
	"github.com/clerkline/efile/internal/pdfstamp"
	"github.com/clerkline/efile/internal/storage"
)

// ---------- repository ----------
// filings carry firm_id and a firm must never touch another firm's filings.
// filing_documents has no firm column; it is only read after the parent
// filing has been loaded with the firm check.

type Filing struct {
	ID       int64  `db:"id" json:"id"`
	FirmID   int64  `db:"firm_id" json:"firm_id"`
	CaseNo   string `db:"case_number" json:"case_number"`
	Title    string `db:"title" json:"title"`
	Status   string `db:"status" json:"status"`
	FeeCents int64  `db:"fee_cents" json:"fee_cents"`
}

type Document struct {
	ID         int64  `db:"id"`
	FilingID   int64  `db:"filing_id"`
	Name       string `db:"name"`
	StorageKey string `db:"storage_key"`
}

type Repo struct{ db *sqlx.DB }

func (r *Repo) Get(ctx context.Context, firmID, id int64) (*Filing, error) {
	var f Filing
	err := r.db.GetContext(ctx, &f, `
		SELECT id, firm_id, case_number, title, status, fee_cents
		  FROM filings WHERE id = $1 AND firm_id = $2`, id, firmID)
	return &f, err
}

func (r *Repo) Documents(ctx context.Context, filingID int64) ([]Document, error) {
	var docs []Document
	err := r.db.SelectContext(ctx, &docs,
		`SELECT id, filing_id, name, storage_key FROM filing_documents WHERE filing_id = $1 ORDER BY seq`, filingID)
	return docs, err
}

func (r *Repo) Withdraw(ctx context.Context, firmID, id int64) (bool, error) {
	res, err := r.db.ExecContext(ctx, `UPDATE filings SET status = 'withdrawn', updated_at = now() WHERE id = $1 AND status = 'draft'`, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func (r *Repo) MarkPaid(ctx context.Context, firmID, id int64, paymentRef string) error {
	_, err := r.db.ExecContext(ctx,
		`UPDATE filings SET status = 'paid', payment_ref = $3 WHERE id = $1 AND firm_id = $2`, id, firmID, paymentRef)
	return err
}

// ---------- handlers ----------

type Handler struct {
	repo  *Repo
	store *storage.Client
	court *courtapi.Client
}

func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /filings/{id}/withdraw", auth.Firm(h.Withdraw))
	mux.HandleFunc("GET /filings/{id}/bundle.pdf", auth.Firm(h.Bundle))
	mux.HandleFunc("POST /webhooks/payments", h.PaymentWebhook)
}

func (h *Handler) Withdraw(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ok, err := h.repo.Withdraw(r.Context(), auth.FirmID(r.Context()), id)
	if err != nil || !ok {
		http.Error(w, "cannot withdraw", http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Bundle returns the court-formatted bundle: every exhibit with the clerk
// header stamped on each page, merged into one PDF. Exhibits can run to
// several thousand pages for discovery motions.
func (h *Handler) Bundle(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f, err := h.repo.Get(ctx, auth.FirmID(ctx), id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	docs, err := h.repo.Documents(ctx, f.ID)
	if err != nil {
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	var out bytes.Buffer
	merger := pdfstamp.NewMerger(&out)
	for _, d := range docs {
		src, err := h.store.Get(ctx, d.StorageKey)
		if err != nil {
			http.Error(w, "missing exhibit "+d.Name, http.StatusInternalServerError)
			return
		}
		if err := merger.AppendStamped(src, pdfstamp.Header{Case: f.CaseNo, Title: d.Name}); err != nil {
			http.Error(w, "stamp failed", http.StatusInternalServerError)
			return
		}
	}
	merger.Close()
	w.Header().Set("Content-Type", "application/pdf")
	io.Copy(w, &out)
}

type paymentEvent struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	FirmID   int64  `json:"firm_id"` // we send it as metadata when creating the charge
	FilingID int64  `json:"filing_id"`
	Ref      string `json:"payment_ref"`
}

// PaymentWebhook: the fee processor calls this when a filing fee clears.
func (h *Handler) PaymentWebhook(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if !courtapi.VerifySignature(r.Header.Get("X-Fee-Signature"), body) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev paymentEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if ev.Type != "fee.paid" {
		return
	}
	if err := h.repo.MarkPaid(r.Context(), ev.FirmID, ev.FilingID, ev.Ref); err != nil {
		log.Printf("webhook %s: mark paid: %v", ev.ID, err)
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	// hand the filing to the court's EFM; each call creates a new envelope on their side
	if err := h.court.SubmitEnvelope(r.Context(), ev.FilingID); err != nil {
		log.Printf("webhook %s: submit: %v", ev.ID, err)
		http.Error(w, "error", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusOK)
}
