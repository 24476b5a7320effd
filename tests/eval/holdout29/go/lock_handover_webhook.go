package canal

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"time"

	_ "github.com/lib/pq"
	"github.com/patrickmn/go-cache"

	"example.org/canal/internal/auth"
)

// RotaEvent is posted by the rostering provider when a lock-keeper closes a
// shift handover in the mobile app.
type RotaEvent struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"` // "handover.completed"
	LockCode  string    `json:"lock_code"`
	Outgoing  int64     `json:"outgoing_keeper_id"`
	Incoming  int64     `json:"incoming_keeper_id"`
	Hours     float64   `json:"hours_worked"`
	Notes     string    `json:"notes"`
	HappenedAt time.Time `json:"happened_at"`
}

type Handlers struct {
	DB         *sql.DB // app database (pooled)
	RotaDSN    string  // rostering reporting database
	SigningKey []byte
	schedule   *cache.Cache // cache.New(5*time.Minute, 10*time.Minute)
}

func (h *Handlers) validSignature(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, h.SigningKey)
	mac.Write(body)
	return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(sig))
}

// POST /webhooks/rota
func (h *Handlers) RotaWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil || !h.validSignature(body, r.Header.Get("X-Rota-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev RotaEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if ev.Type != "handover.completed" {
		w.WriteHeader(http.StatusOK)
		return
	}

	rota, err := sql.Open("postgres", h.RotaDSN)
	if err != nil {
		log.Printf("rota db open: %v", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	defer rota.Close()

	ctx := r.Context()
	if _, err := rota.ExecContext(ctx,
		`INSERT INTO shift_handovers (lock_code, outgoing_keeper, incoming_keeper, notes, handed_over_at)
		 VALUES ($1, $2, $3, $4, $5)`,
		ev.LockCode, ev.Outgoing, ev.Incoming, ev.Notes, ev.HappenedAt); err != nil {
		log.Printf("handover insert lock=%s: %v", ev.LockCode, err)
		http.Error(w, "retry later", http.StatusInternalServerError)
		return
	}
	if _, err := rota.ExecContext(ctx,
		`UPDATE keeper_hours SET hours_this_month = hours_this_month + $1 WHERE keeper_id = $2`,
		ev.Hours, ev.Outgoing); err != nil {
		log.Printf("keeper hours keeper=%d: %v", ev.Outgoing, err)
		http.Error(w, "retry later", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

type LockWindow struct {
	LockCode string `json:"lock_code"`
	Opens    string `json:"opens"`
	Closes   string `json:"closes"`
}

// GET /locks/schedule — today's opening windows for every lock on the canal,
// shown to keepers and boaters alike.
func (h *Handlers) Schedule(w http.ResponseWriter, r *http.Request) {
	userID := auth.UserID(r.Context())
	key := "schedule:" + userID + ":" + time.Now().Format("2006-01-02")
	if v, ok := h.schedule.Get(key); ok {
		writeJSON(w, v)
		return
	}

	rows, err := h.DB.QueryContext(r.Context(),
		`SELECT lock_code, opens_at::text, closes_at::text FROM lock_schedule
		  WHERE schedule_date = current_date ORDER BY lock_code LIMIT 200`)
	if err != nil {
		log.Printf("schedule query: %v", err)
		http.Error(w, "schedule unavailable", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []LockWindow
	for rows.Next() {
		var lw LockWindow
		if err := rows.Scan(&lw.LockCode, &lw.Opens, &lw.Closes); err != nil {
			log.Printf("schedule scan: %v", err)
			http.Error(w, "schedule unavailable", http.StatusInternalServerError)
			return
		}
		out = append(out, lw)
	}
	h.schedule.Set(key, out, cache.DefaultExpiration)
	writeJSON(w, out)
}
