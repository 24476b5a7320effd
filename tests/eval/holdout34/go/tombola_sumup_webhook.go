package fete

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"

	"github.com/gin-gonic/gin"
)

// Online tombola strips for the St Mary's village fete. Buyers pay through a
// SumUp hosted checkout; SumUp then POSTs the checkout result to us and we
// allocate the strip numbers that go into the drum on the day.

type Mailer interface {
	QueueStripConfirmation(email string, first, count int) error
}

type Handlers struct {
	db     *sql.DB
	mailer Mailer
	secret []byte
}

type checkoutEvent struct {
	EventID     string `json:"id"`
	CheckoutRef string `json:"checkout_reference"`
	Status      string `json:"status"`
	FeteID      int64  `json:"fete_id"`
	Strips      int    `json:"strips"`
	Email       string `json:"email"`
}

func (h *Handlers) Register(r *gin.Engine) {
	r.POST("/webhooks/sumup", h.handleSumUpWebhook)
}

func (h *Handlers) validSignature(sig string, body []byte) bool {
	mac := hmac.New(sha256.New, h.secret)
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(sig))
}

func (h *Handlers) handleSumUpWebhook(c *gin.Context) {
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, 64<<10))
	if err != nil {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	if !h.validSignature(c.GetHeader("X-Payload-Signature"), body) {
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	var evt checkoutEvent
	if err := json.Unmarshal(body, &evt); err != nil || evt.Strips <= 0 {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	if evt.Status != "PAID" {
		c.Status(http.StatusOK)
		return
	}

	ctx := c.Request.Context()
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("sumup webhook: begin: %v", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()

	var sold int
	if err := tx.QueryRowContext(ctx,
		`SELECT strips_sold FROM tombola_stalls WHERE fete_id = $1`, evt.FeteID).Scan(&sold); err != nil {
		log.Printf("sumup webhook: load stall for fete %d: %v", evt.FeteID, err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	first := sold + 1
	if _, err := tx.ExecContext(ctx,
		`UPDATE tombola_stalls SET strips_sold = $1, updated_at = now() WHERE fete_id = $2`,
		sold+evt.Strips, evt.FeteID); err != nil {
		log.Printf("sumup webhook: update stall: %v", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO tombola_strips (fete_id, checkout_ref, buyer_email, first_number, strip_count)
		 VALUES ($1, $2, $3, $4, $5)`,
		evt.FeteID, evt.CheckoutRef, evt.Email, first, evt.Strips); err != nil {
		log.Printf("sumup webhook: insert strips: %v", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("sumup webhook: commit: %v", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}

	if err := h.mailer.QueueStripConfirmation(evt.Email, first, evt.Strips); err != nil {
		log.Printf("sumup webhook: queue confirmation for %s: %v", evt.CheckoutRef, err)
	}
	c.Status(http.StatusOK)
}
