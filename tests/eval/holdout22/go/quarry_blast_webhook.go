package notices

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"
)

// The quarry's blast-planning system calls us when a blast is scheduled. We
// record the notice for the public page and text every registered household
// inside the 500 m notification zone.

type blastScheduled struct {
	EventID   string    `json:"event_id"`
	QuarryID  int64     `json:"quarry_id"`
	BlastAt   time.Time `json:"blast_at"`
	Bench     string    `json:"bench"`
	ZoneMetre int       `json:"zone_metres"`
}

type Notifier struct {
	DB       *sql.DB
	Secret   []byte
	SMSURL   string
	SMSToken string
	HTTP     *http.Client // &http.Client{Timeout: 5 * time.Second}, built in main
}

func (n *Notifier) HandleBlastScheduled(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	mac := hmac.New(sha256.New, n.Secret)
	mac.Write(body)
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get("X-Blast-Signature"))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}

	var ev blastScheduled
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}

	ctx := r.Context()
	if _, err := n.DB.ExecContext(ctx,
		`INSERT INTO blast_notices (quarry_id, blast_at, bench, zone_metres) VALUES ($1, $2, $3, $4)`,
		ev.QuarryID, ev.BlastAt, ev.Bench, ev.ZoneMetre); err != nil {
		log.Printf("store notice %s: %v", ev.EventID, err)
		http.Error(w, "store failed", http.StatusInternalServerError)
		return
	}

	rows, err := n.DB.QueryContext(ctx,
		`SELECT mobile FROM households
		  WHERE quarry_id = $1 AND sms_opt_in AND distance_m <= $2`, ev.QuarryID, ev.ZoneMetre)
	if err != nil {
		log.Printf("load households: %v", err)
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var numbers []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			log.Printf("scan household: %v", err)
			continue
		}
		numbers = append(numbers, m)
	}

	msg := fmt.Sprintf("Quarry blast notice: blasting at %s on %s bench. Sirens sound 5 min before.",
		ev.BlastAt.Format("Mon 2 Jan 15:04"), ev.Bench)
	if err := n.sendBulk(numbers, msg); err != nil {
		log.Printf("sms for %s: %v", ev.EventID, err)
		http.Error(w, "sms failed", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// sendBulk posts all recipients in one request to the SMS gateway.
func (n *Notifier) sendBulk(numbers []string, text string) error {
	payload, err := json.Marshal(map[string]any{"to": numbers, "body": text, "sender": "QUARRY"})
	if err != nil {
		return err
	}

	var lastErr error
	for attempt := 1; attempt <= 4; attempt++ {
		req, err := http.NewRequest(http.MethodPost, n.SMSURL, bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+n.SMSToken)
		req.Header.Set("Content-Type", "application/json")

		resp, err := n.HTTP.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			err = fmt.Errorf("gateway status %d", resp.StatusCode)
		}
		lastErr = err
		time.Sleep(300 * time.Millisecond)
	}
	return lastErr
}
