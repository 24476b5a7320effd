package forge

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
)

// Places on the weekend blacksmithing courses (knife making, gate hinges,
// "forge your first hook") are paid through the provider's hosted checkout,
// which calls us back when a checkout completes.

type Server struct {
	db            *sql.DB
	webhookSecret []byte
	mailerURL     string
}

type checkoutEvent struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		CourseID     int64  `json:"course_id"`
		StudentEmail string `json:"student_email"`
		StudentName  string `json:"student_name"`
		AmountPence  int64  `json:"amount_pence"`
	} `json:"data"`
}

func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /webhooks/checkout", s.handleCheckoutWebhook)
}

func (s *Server) validSignature(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, s.webhookSecret)
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(sig))
}

func (s *Server) handleCheckoutWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	if !s.validSignature(body, r.Header.Get("X-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var evt checkoutEvent
	if err := json.Unmarshal(body, &evt); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if evt.Type != "checkout.completed" {
		w.WriteHeader(http.StatusOK)
		return
	}

	ctx := r.Context()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("checkout %s: begin: %v", evt.ID, err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`UPDATE forge_courses SET places_taken = places_taken + 1 WHERE id = $1 AND places_taken < places_total`,
		evt.Data.CourseID)
	if err != nil {
		log.Printf("checkout %s: take place: %v", evt.ID, err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		// Course filled up between checkout and callback; ops refund by hand.
		log.Printf("checkout %s: course %d full", evt.ID, evt.Data.CourseID)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO course_enrolments (course_id, student_email, student_name, paid_pence, provider_ref) VALUES ($1, $2, $3, $4, $5)`,
		evt.Data.CourseID, evt.Data.StudentEmail, evt.Data.StudentName, evt.Data.AmountPence, evt.ID); err != nil {
		log.Printf("checkout %s: enrol: %v", evt.ID, err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("checkout %s: commit: %v", evt.ID, err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}

	if err := s.sendWelcome(evt); err != nil {
		log.Printf("checkout %s: welcome mail: %v", evt.ID, err)
	}
	w.WriteHeader(http.StatusOK)
}

// sendWelcome asks the mailer service to send the kit list (boots, cotton
// clothes, no synthetics near the fire) to the new student.
func (s *Server) sendWelcome(evt checkoutEvent) error {
	payload, err := json.Marshal(map[string]any{
		"template": "forge-welcome",
		"to":       evt.Data.StudentEmail,
		"vars":     map[string]any{"name": evt.Data.StudentName, "course_id": evt.Data.CourseID},
	})
	if err != nil {
		return err
	}
	resp, err := http.Post(s.mailerURL+"/v1/messages", "application/json", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("mailer returned %s", resp.Status)
	}
	return nil
}
