package towers

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/patrickmn/go-cache"
)

// PracticeHandler serves practice-night sign-ups for a bell tower.
// The schedule for a tower is the same for every ringer who looks at it.
type PracticeHandler struct {
	DB       *sql.DB
	Schedule *cache.Cache // go-cache, 10 minute default expiry, 20 minute janitor
	SMSRelay string       // base URL of the parish SMS relay
}

type practiceSlot struct {
	ID       int64     `json:"id"`
	StartsAt time.Time `json:"starts_at"`
	MaxRopes int       `json:"max_ropes"`
	Method   string    `json:"method"` // e.g. "Plain Bob Doubles"
}

func (h *PracticeHandler) Routes(r chi.Router) {
	r.Get("/towers/{towerID}/practice", h.listSlots)
	r.Post("/practice/{slotID}/signup", h.signUp)
}

func (h *PracticeHandler) listSlots(w http.ResponseWriter, r *http.Request) {
	towerID, err := strconv.ParseInt(chi.URLParam(r, "towerID"), 10, 64)
	if err != nil {
		http.Error(w, "bad tower id", http.StatusBadRequest)
		return
	}
	ringer := currentRinger(r)

	key := fmt.Sprintf("practice:%d:ringer:%d", towerID, ringer.ID)
	if cached, ok := h.Schedule.Get(key); ok {
		writeJSON(w, http.StatusOK, cached)
		return
	}

	rows, err := h.DB.QueryContext(r.Context(),
		`SELECT id, starts_at, max_ropes, method
		   FROM practice_slots
		  WHERE tower_id = $1 AND starts_at > now()
		  ORDER BY starts_at
		  LIMIT 20`, towerID)
	if err != nil {
		log.Printf("list practice slots: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	slots := make([]practiceSlot, 0, 20)
	for rows.Next() {
		var s practiceSlot
		if err := rows.Scan(&s.ID, &s.StartsAt, &s.MaxRopes, &s.Method); err != nil {
			log.Printf("scan practice slot: %v", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		slots = append(slots, s)
	}
	h.Schedule.Set(key, slots, cache.DefaultExpiration)
	writeJSON(w, http.StatusOK, slots)
}

func (h *PracticeHandler) signUp(w http.ResponseWriter, r *http.Request) {
	slotID, _ := strconv.ParseInt(chi.URLParam(r, "slotID"), 10, 64)
	ringer := currentRinger(r)
	ctx := r.Context()

	var maxRopes, taken int
	err := h.DB.QueryRowContext(ctx,
		`SELECT s.max_ropes, (SELECT count(*) FROM practice_signups p WHERE p.slot_id = s.id)
		   FROM practice_slots s WHERE s.id = $1`, slotID).Scan(&maxRopes, &taken)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "no such practice", http.StatusNotFound)
		return
	}
	if err != nil {
		log.Printf("load practice %d: %v", slotID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if taken >= maxRopes {
		http.Error(w, "all ropes are taken for this practice", http.StatusConflict)
		return
	}

	if _, err := h.DB.ExecContext(ctx,
		`INSERT INTO practice_signups (slot_id, ringer_id, created_at) VALUES ($1, $2, now())`,
		slotID, ringer.ID); err != nil {
		log.Printf("insert signup: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	// Let the tower captain know who is coming so they can plan the touches.
	body, _ := json.Marshal(map[string]any{
		"template": "practice_signup",
		"slot_id":  slotID,
		"ringer":   ringer.Name,
	})
	resp, err := http.Post(h.SMSRelay+"/v1/messages", "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("notify captain for slot %d: %v", slotID, err)
	} else {
		resp.Body.Close()
	}

	writeJSON(w, http.StatusCreated, map[string]any{"slot_id": slotID, "ringer_id": ringer.ID})
}
