package firewood

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"strings"
	"time"
)

// The community firewood scheme uses a local haulier's dispatch system. When a
// driver marks a drop as done, their system POSTs here and we take the loads
// off the household's prepaid balance of kiln-dried logs.

// Haulier's published egress addresses.
var haulierIPs = map[string]bool{
	"203.0.113.24": true,
	"203.0.113.25": true,
}

type deliveryEvent struct {
	EventID     string    `json:"event_id"`
	DropRef     string    `json:"drop_ref"`
	HouseholdID int64     `json:"household_id"`
	Loads       int       `json:"loads"` // 1 load = 1 cubic metre bag
	MoisturePct float64   `json:"moisture_pct"`
	DeliveredAt time.Time `json:"delivered_at"`
}

type WebhookHandler struct {
	DB *sql.DB
}

func sourceIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return host
}

// POST /hooks/haulier/delivery-completed
func (h *WebhookHandler) DeliveryCompleted(w http.ResponseWriter, r *http.Request) {
	if !haulierIPs[sourceIP(r)] {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}

	var ev deliveryEvent
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("firewood webhook %s: begin: %v", ev.EventID, err)
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx,
		`INSERT INTO deliveries (household_id, drop_ref, loads, moisture_pct, delivered_at)
		 VALUES ($1, $2, $3, $4, $5)`,
		ev.HouseholdID, ev.DropRef, ev.Loads, ev.MoisturePct, ev.DeliveredAt); err != nil {
		log.Printf("firewood webhook %s: insert delivery: %v", ev.EventID, err)
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}

	var prepaid int
	if err := tx.QueryRowContext(ctx, `SELECT prepaid_loads FROM households WHERE id = $1`, ev.HouseholdID).Scan(&prepaid); err != nil {
		log.Printf("firewood webhook %s: household %d: %v", ev.EventID, ev.HouseholdID, err)
		http.Error(w, "unknown household", http.StatusUnprocessableEntity)
		return
	}
	remaining := prepaid - ev.Loads
	if remaining < 0 {
		remaining = 0 // anything over the prepaid amount is invoiced at month end
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE households SET prepaid_loads = $1, last_delivery_at = $2 WHERE id = $3`,
		remaining, ev.DeliveredAt, ev.HouseholdID); err != nil {
		log.Printf("firewood webhook %s: update balance: %v", ev.EventID, err)
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}

	if err := tx.Commit(); err != nil {
		log.Printf("firewood webhook %s: commit: %v", ev.EventID, err)
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
