package recalls

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type Recall struct {
	ID        int64     `db:"id" json:"id"`
	PatientID int64     `db:"patient_id" json:"patient_id"`
	FullName  string    `db:"full_name" json:"full_name"`
	Email     string    `db:"email" json:"email"`
	Reason    string    `db:"reason" json:"reason"`
	DueOn     time.Time `db:"due_on" json:"due_on"`
	Status    string    `db:"status" json:"status"`
}

type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

type Handler struct {
	DB     *sqlx.DB
	Mailer Mailer
}

// Routes are mounted under /clinics/:clinicID by the auth middleware, which
// has already checked the staff member belongs to that clinic.
func (h *Handler) Routes(g *gin.RouterGroup) {
	g.GET("/recalls", h.list)
	g.POST("/recalls/send-reminders", h.sendReminders)
}

// list feeds the front-desk recall board.
func (h *Handler) list(c *gin.Context) {
	clinicID := c.Param("clinicID")
	var recalls []Recall
	err := h.DB.SelectContext(c.Request.Context(), &recalls, `
		SELECT r.id, r.patient_id, p.full_name, p.email, r.reason, r.due_on, r.status
		FROM recalls r JOIN patients p ON p.id = r.patient_id
		WHERE r.clinic_id = $1
		ORDER BY r.due_on`, clinicID)
	if err != nil {
		log.Printf("list recalls clinic=%s: %v", clinicID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load recalls"})
		return
	}
	c.JSON(http.StatusOK, recalls)
}

// sendReminders emails every patient whose recall falls due in the next 30 days.
// A typical practice has a few thousand active patients on six-month recall.
func (h *Handler) sendReminders(c *gin.Context) {
	ctx := c.Request.Context()
	clinicID := c.Param("clinicID")
	cutoff := time.Now().AddDate(0, 0, 30)

	var due []Recall
	err := h.DB.SelectContext(ctx, &due, `
		SELECT r.id, r.patient_id, p.full_name, p.email, r.reason, r.due_on, r.status
		FROM recalls r JOIN patients p ON p.id = r.patient_id
		WHERE r.status = 'pending' AND r.due_on <= $1 AND p.email <> ''`, cutoff)
	if err != nil {
		log.Printf("load due recalls: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load recalls"})
		return
	}

	var remindedIDs []int64
	failed := 0
	for _, rc := range due {
		body := fmt.Sprintf("Dear %s,\n\nYou are due for your %s on or after %s. Reply to this email or call us to book.",
			rc.FullName, rc.Reason, rc.DueOn.Format("2 Jan 2006"))
		if err := h.Mailer.Send(ctx, rc.Email, "Time for your dental check-up", body); err != nil {
			log.Printf("recall %d: mail failed: %v", rc.ID, err)
			failed++
			continue
		}
		remindedIDs = append(remindedIDs, rc.ID)
	}

	if len(remindedIDs) > 0 {
		if _, err := h.DB.ExecContext(ctx,
			`UPDATE recalls SET status = 'reminded', reminded_at = now() WHERE clinic_id = $1 AND id = ANY($2)`,
			clinicID, pq.Array(remindedIDs)); err != nil {
			log.Printf("mark reminded clinic=%s: %v", clinicID, err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "reminders sent but status not saved"})
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"sent": len(remindedIDs), "failed": failed})
}
