package inspections

import (
	"archive/zip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"time"

	"gorm.io/gorm"
)

// Handlers for the home-inspection integration with FieldLens (the vendor
// whose inspectors visit insured homes). Ingress: nginx, proxy_read_timeout 30s.
type Handlers struct {
	DB     *gorm.DB
	Secret []byte
	PDF    *ReportRenderer
}

type fieldLensEvent struct {
	ID           string   `json:"id"`
	Type         string   `json:"type"` // inspection.completed, inspection.cancelled
	InspectionID string   `json:"inspection_id"`
	PolicyNumber string   `json:"policy_number"`
	InspectorID  string   `json:"inspector_id"`
	RiskScore    int      `json:"risk_score"`
	FeeCents     int64    `json:"fee_cents"`
	Hazards      []string `json:"hazards"`
}

// FieldLensWebhook receives inspection outcomes. FieldLens retries any
// delivery that does not get a 2xx within 10 seconds.
func (h *Handlers) FieldLensWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if !h.validSignature(body, r.Header.Get("X-FieldLens-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev fieldLensEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	switch ev.Type {
	case "inspection.completed":
		// pay the inspector
		payout := InspectorPayout{InspectorID: ev.InspectorID, InspectionID: ev.InspectionID, AmountCents: ev.FeeCents}
		if err := h.DB.Create(&payout).Error; err != nil {
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		// bump the policy's risk score and surcharge
		upd := map[string]any{
			"risk_score":      ev.RiskScore,
			"surcharge_cents": gorm.Expr("surcharge_cents + ?", surchargeFor(ev.RiskScore)),
		}
		if err := h.DB.Model(&Policy{}).Where("number = ?", ev.PolicyNumber).Updates(upd).Error; err != nil {
			w.WriteHeader(http.StatusOK) // payout is already recorded
			return
		}
	case "inspection.cancelled":
		if err := h.DB.Model(&Inspection{}).Where("vendor_id = ?", ev.InspectionID).
			Update("status", "cancelled").Error; err != nil {
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (h *Handlers) validSignature(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(sig))
}

// ExportRegion streams a zip with the inspection PDF for every completed
// inspection in a region since a date. Used by underwriting for quarterly audits.
func (h *Handlers) ExportRegion(w http.ResponseWriter, r *http.Request) {
	region := r.URL.Query().Get("region")
	since, err := time.Parse("2006-01-02", r.URL.Query().Get("since"))
	if err != nil {
		http.Error(w, "since must be YYYY-MM-DD", http.StatusBadRequest)
		return
	}
	var list []Inspection
	if err := h.DB.Preload("Photos").Where("region = ? AND completed_at >= ?", region, since).
		Order("completed_at").Find(&list).Error; err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="inspections-`+region+`.zip"`)
	zw := zip.NewWriter(w)
	for _, insp := range list {
		f, err := zw.Create(insp.VendorID + ".pdf")
		if err == nil {
			err = h.PDF.Render(f, &insp) // ~12 pages with embedded photos, 1-3s each
		}
		if err != nil {
			log.Printf("export %s: %v", insp.VendorID, err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Printf("zip close: %v", err)
	}
}
