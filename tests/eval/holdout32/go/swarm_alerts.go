// Package swarms handles swarm reports from the public "I've seen a swarm"
// form and alerts the association's collectors who cover that area.
package swarms

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"
)

type SwarmReport struct {
	Postcode    string `json:"postcode"`
	Description string `json:"description"`
	HeightM     int    `json:"height_m"`
	ReporterTel string `json:"reporter_tel"`
}

type collector struct {
	ID       int64
	Name     string
	MaxReach int
}

// Shared SMS gateway client, keeps connections to the provider warm.
var smsClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

type Handler struct {
	DB        *sql.DB
	SMSURL    string
	SMSAPIKey string
}

func (h *Handler) ReportSwarm(w http.ResponseWriter, r *http.Request) {
	var rep SwarmReport
	if err := json.NewDecoder(r.Body).Decode(&rep); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	area := outwardCode(rep.Postcode)

	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()

	rows, err := h.DB.QueryContext(ctx,
		`SELECT c.id, c.name, c.max_reach_m FROM collectors c
		 JOIN collector_areas a ON a.collector_id = c.id
		 WHERE a.outward_code = $1 AND c.active
		 ORDER BY c.last_collection_at NULLS FIRST LIMIT 15`, area)
	if err != nil {
		log.Printf("swarms: find collectors: %v", err)
		http.Error(w, "try again shortly", http.StatusServiceUnavailable)
		return
	}
	var cs []collector
	for rows.Next() {
		var c collector
		if err := rows.Scan(&c.ID, &c.Name, &c.MaxReach); err != nil {
			rows.Close()
			http.Error(w, "try again shortly", http.StatusInternalServerError)
			return
		}
		cs = append(cs, c)
	}
	rows.Close()

	var phones []string
	for _, c := range cs {
		if c.MaxReach < rep.HeightM {
			continue // no ladder/pole long enough
		}
		var phone string
		var optedOut bool
		err := h.DB.QueryRowContext(ctx,
			`SELECT phone, sms_opt_out FROM collector_contacts WHERE collector_id = $1`, c.ID).Scan(&phone, &optedOut)
		if err != nil {
			log.Printf("swarms: contact for collector %d: %v", c.ID, err)
			continue
		}
		if !optedOut {
			phones = append(phones, phone)
		}
	}

	if len(phones) > 0 {
		msg := fmt.Sprintf("Swarm reported near %s, about %dm up. Reply YES to claim.", area, rep.HeightM)
		if err := h.sendBulkSMS(r.Context(), phones, msg); err != nil {
			log.Printf("swarms: sms: %v", err)
			http.Error(w, "report saved, alert failed", http.StatusBadGateway)
			return
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

func (h *Handler) sendBulkSMS(ctx context.Context, to []string, body string) error {
	payload, err := json.Marshal(map[string]any{"to": to, "body": body, "sender": "BEEKEEPERS"})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.SMSURL+"/v2/messages/bulk", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+h.SMSAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := smsClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("sms gateway returned %s", resp.Status)
	}
	return nil
}

func outwardCode(pc string) string {
	for i, ch := range pc {
		if ch == ' ' {
			return pc[:i]
		}
	}
	return pc
}
