package courses

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"example.com/academy/internal/certs"
	"example.com/academy/internal/mail"
)

// Served through the API gateway (30s upstream timeout).
type Handlers struct {
	DB        *sqlx.DB
	Mailer    *mail.Client
	StripeKey string
}

func (h *Handlers) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /webhooks/stripe", h.stripeWebhook)
	mux.HandleFunc("POST /courses/{id}/certificates", h.issueCertificates)
}

type wallet struct {
	InstructorID int64 `db:"instructor_id"`
	BalanceCents int64 `db:"balance_cents"`
}

// stripeWebhook enrolls the student and credits the instructor's revenue
// share (70%) when a checkout completes.
func (h *Handlers) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	payload, _ := io.ReadAll(r.Body)
	ev, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), h.StripeKey)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if ev.Type != "checkout.session.completed" {
		w.WriteHeader(http.StatusOK)
		return
	}
	var sess stripe.CheckoutSession
	if err := json.Unmarshal(ev.Data.Raw, &sess); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	courseID, studentID := sess.Metadata["course_id"], sess.Metadata["student_id"]

	if _, err := h.DB.Exec(`INSERT INTO enrollments (course_id, student_id, paid_cents) VALUES ($1, $2, $3)
		ON CONFLICT (course_id, student_id) DO NOTHING`, courseID, studentID, sess.AmountTotal); err != nil {
		log.Printf("enroll %s in %s: %v", studentID, courseID, err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}

	var wl wallet
	if err := h.DB.Get(&wl, `SELECT w.instructor_id, w.balance_cents FROM instructor_wallets w
		JOIN courses c ON c.instructor_id = w.instructor_id WHERE c.id = $1`, courseID); err != nil {
		log.Printf("wallet for course %s: %v", courseID, err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	newBalance := wl.BalanceCents + sess.AmountTotal*70/100
	if _, err := h.DB.Exec(`UPDATE instructor_wallets SET balance_cents = $1 WHERE instructor_id = $2`,
		newBalance, wl.InstructorID); err != nil {
		log.Printf("credit instructor %d: %v", wl.InstructorID, err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	h.Mailer.Send(sess.CustomerDetails.Email, "You're enrolled!", "course-welcome", map[string]string{"course": courseID})
	w.WriteHeader(http.StatusOK)
}

// issueCertificates renders a PDF certificate for every student who finished
// the course and emails it. Instructors click "Issue certificates" at the end
// of a cohort (cohorts are 200-3000 students).
func (h *Handlers) issueCertificates(w http.ResponseWriter, r *http.Request) {
	courseID := r.PathValue("id")
	var grads []struct {
		StudentID int64  `db:"student_id"`
		Name      string `db:"name"`
		Email     string `db:"email"`
	}
	err := h.DB.Select(&grads, `SELECT e.student_id, s.name, s.email FROM enrollments e
		JOIN students s ON s.id = e.student_id
		WHERE e.course_id = $1 AND e.completed_at IS NOT NULL AND e.certificate_sent_at IS NULL`, courseID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var sent []int64
	for _, g := range grads {
		pdf, err := certs.Render(certs.Data{CourseID: courseID, StudentName: g.Name})
		if err != nil {
			log.Printf("render cert for %d: %v", g.StudentID, err)
			continue
		}
		if err := h.Mailer.SendWithAttachment(g.Email, "Your certificate", "certificate.pdf", pdf); err != nil {
			log.Printf("mail cert to %d: %v", g.StudentID, err)
			continue
		}
		sent = append(sent, g.StudentID)
	}
	if _, err := h.DB.Exec(`UPDATE enrollments SET certificate_sent_at = now()
		WHERE course_id = $1 AND student_id = ANY($2)`, courseID, pq.Array(sent)); err != nil {
		log.Printf("mark certificates sent for course %s: %v", courseID, err)
	}
	fmt.Fprintf(w, `{"issued": %d}`, len(sent))
}
