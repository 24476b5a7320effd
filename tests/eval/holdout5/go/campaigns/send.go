package campaigns

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gorilla/mux"
)

// Transactional email provider (Postmark-style JSON API).
var mailClient = &http.Client{}

type Server struct {
	DB *sql.DB
}

type emailMsg struct {
	From     string `json:"From"`
	To       string `json:"To"`
	Subject  string `json:"Subject"`
	HTMLBody string `json:"HtmlBody"`
}

// POST /campaigns/{id}/send
// Sends the campaign to every subscriber on its audience list and marks it sent.
func (s *Server) SendCampaign(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]

	var subject, tmpl string
	var listID int64
	err := s.DB.QueryRow(`SELECT subject, body_html, list_id FROM campaigns WHERE id = $1 AND status = 'draft'`, id).
		Scan(&subject, &tmpl, &listID)
	if err != nil {
		http.Error(w, "campaign not found or already sent", http.StatusNotFound)
		return
	}

	rows, err := s.DB.Query(`SELECT user_id, email FROM list_subscribers WHERE list_id = $1 AND unsubscribed_at IS NULL`, listID)
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	type recipient struct {
		userID int64
		email  string
	}
	var recipients []recipient
	for rows.Next() {
		var rc recipient
		if err := rows.Scan(&rc.userID, &rc.email); err != nil {
			rows.Close()
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		recipients = append(recipients, rc)
	}
	rows.Close()

	sent, failed := 0, 0
	for _, rc := range recipients {
		var firstName string
		if err := s.DB.QueryRow(`SELECT first_name FROM users WHERE id = $1`, rc.userID).Scan(&firstName); err != nil {
			firstName = "there"
		}
		body := bytes.ReplaceAll([]byte(tmpl), []byte("{{first_name}}"), []byte(firstName))
		if err := sendEmail(rc.email, subject, string(body)); err != nil {
			log.Printf("campaign %s: send to %s failed: %v", id, rc.email, err)
			failed++
			continue
		}
		sent++
	}

	if _, err := s.DB.Exec(`UPDATE campaigns SET status = 'sent', sent_at = now(), sent_count = $2 WHERE id = $1`, id, sent); err != nil {
		log.Printf("campaign %s: mark sent: %v", id, err)
	}

	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int{"sent": sent, "failed": failed})
}

func sendEmail(to, subject, html string) error {
	payload, _ := json.Marshal(emailMsg{From: "news@shop.example", To: to, Subject: subject, HTMLBody: html})

	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, _ := http.NewRequest(http.MethodPost, "https://api.postmarkapp.com/email", bytes.NewReader(payload))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Postmark-Server-Token", os.Getenv("POSTMARK_TOKEN"))

		resp, err := mailClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			err = fmt.Errorf("postmark status %d", resp.StatusCode)
		}
		lastErr = err
		time.Sleep(2 * time.Second)
	}
	return lastErr
}
