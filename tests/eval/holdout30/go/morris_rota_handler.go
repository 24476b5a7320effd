package rota

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

// Practice rota service for morris sides (Cotswold and border). Deployed as
// the "rota-api" Deployment, replicas: 3, behind the club-hub ingress.

type editLock struct {
	Holder  string
	TakenAt time.Time
}

// One squire at a time may reshuffle a side's rota.
var (
	editLocksMu sync.Mutex
	editLocks   = map[int64]editLock{}
)

var smsClient = &http.Client{Timeout: 10 * time.Second}

type authUserKey struct{}

type API struct {
	DB     *sql.DB
	SMSURL string
}

func (a *API) Routes(r chi.Router) {
	r.Post("/sides/{sideID}/rota/lock", a.TakeLock)
	r.Post("/sides/{sideID}/rota/publish", a.Publish)
}

func (a *API) TakeLock(w http.ResponseWriter, r *http.Request) {
	sideID, _ := strconv.ParseInt(chi.URLParam(r, "sideID"), 10, 64)
	user, _ := r.Context().Value(authUserKey{}).(string) // set by the OIDC middleware

	editLocksMu.Lock()
	defer editLocksMu.Unlock()
	if l, ok := editLocks[sideID]; ok && l.Holder != user && time.Since(l.TakenAt) < 15*time.Minute {
		http.Error(w, fmt.Sprintf("rota is being edited by %s", l.Holder), http.StatusLocked)
		return
	}
	editLocks[sideID] = editLock{Holder: user, TakenAt: time.Now()}
	w.WriteHeader(http.StatusNoContent)
}

type practice struct {
	Date  time.Time
	Venue string
	Role  string // musician, bagman, dancer (set 1/2)
}

// Publish texts every member of the side their practice dates for the season.
func (a *API) Publish(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sideID, _ := strconv.ParseInt(chi.URLParam(r, "sideID"), 10, 64)

	rows, err := a.DB.QueryContext(ctx,
		`SELECT m.id, m.phone, p.practice_date, p.venue, p.role
		   FROM rota_slots p JOIN side_members m ON m.id = p.member_id
		  WHERE p.side_id = $1 AND p.season = date_part('year', now())
		  ORDER BY m.id, p.practice_date`, sideID)
	if err != nil {
		log.Printf("rota publish side=%d: %v", sideID, err)
		http.Error(w, "could not load rota", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	byPhone := map[string][]practice{}
	for rows.Next() {
		var id int64
		var phone string
		var p practice
		if err := rows.Scan(&id, &phone, &p.Date, &p.Venue, &p.Role); err != nil {
			http.Error(w, "could not load rota", http.StatusInternalServerError)
			return
		}
		byPhone[phone] = append(byPhone[phone], p)
	}

	failed := 0
	for phone, dates := range byPhone {
		for _, p := range dates {
			msg := fmt.Sprintf("%s practice %s at %s (%s)", p.Date.Format("Mon 2 Jan"), p.Date.Format("15:04"), p.Venue, p.Role)
			if err := a.sendSMS(ctx, phone, msg); err != nil {
				log.Printf("rota publish side=%d: sms to %s: %v", sideID, phone, err)
				failed++
			}
		}
	}
	json.NewEncoder(w).Encode(map[string]int{"members": len(byPhone), "failed": failed})
}

func (a *API) sendSMS(ctx context.Context, phone, msg string) error {
	body, err := json.Marshal(map[string]string{"to": phone, "text": msg, "sender": "SQUIRE"})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.SMSURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := smsClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("sms gateway status %d", resp.StatusCode)
	}
	return nil
}
