package charters

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
	"gorm.io/gorm"
)

// Charter is one booking of a yacht by a customer. Every charter company
// (operator) on the platform only ever sees its own rows.
type Charter struct {
	ID            uint      `gorm:"primaryKey" json:"id"`
	OperatorID    uint      `gorm:"index;not null" json:"operator_id"`
	YachtID       uint      `gorm:"not null" json:"yacht_id"`
	CustomerEmail string    `json:"customer_email"`
	StartsAt      time.Time `json:"starts_at"`
	Status        string    `gorm:"default:pending" json:"status"`
	AmountCents   int64     `json:"amount_cents"`
}

type LedgerEntry struct {
	ID, OperatorID, CharterID uint
	AmountCents               int64
	Kind                      string // "charter_payment", "platform_fee"
	CreatedAt                 time.Time
}

type Repo struct{ db *gorm.DB }

func (r *Repo) ListCharters(operatorID uint, status string) ([]Charter, error) {
	var out []Charter
	q := r.db.Where("operator_id = ?", operatorID)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	err := q.Order("starts_at DESC").Find(&out).Error
	return out, err
}

func (r *Repo) GetCharter(operatorID, id uint) (*Charter, error) {
	var c Charter
	err := r.db.First(&c, id).Error
	return &c, err
}

func (r *Repo) MarkPaid(charterID uint, amount int64, fee int64) error {
	return r.db.Transaction(func(tx *gorm.DB) error {
		var c Charter
		if err := tx.First(&c, charterID).Error; err != nil {
			return err
		}
		if err := tx.Model(&c).Update("status", "paid").Error; err != nil {
			return err
		}
		return tx.Create(&[]LedgerEntry{
			{OperatorID: c.OperatorID, CharterID: c.ID, AmountCents: amount - fee, Kind: "charter_payment"},
			{OperatorID: c.OperatorID, CharterID: c.ID, AmountCents: -fee, Kind: "platform_fee"},
		}).Error
	})
}

type Handler struct{ repo *Repo }

func Register(r *gin.Engine, repo *Repo, auth gin.HandlerFunc) {
	h := &Handler{repo: repo}
	api := r.Group("/api", auth) // auth sets "operator_id" from the JWT
	api.GET("/charters", h.list)
	api.GET("/charters/:id", h.get)
	r.POST("/webhooks/stripe", h.stripeWebhook)
}

func (h *Handler) list(c *gin.Context) {
	charters, err := h.repo.ListCharters(c.GetUint("operator_id"), c.Query("status"))
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load charters"})
		return
	}
	c.JSON(http.StatusOK, charters)
}

func (h *Handler) get(c *gin.Context) {
	id, _ := strconv.ParseUint(c.Param("id"), 10, 64)
	ch, err := h.repo.GetCharter(c.GetUint("operator_id"), uint(id))
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "charter not found"})
		return
	}
	c.JSON(http.StatusOK, ch)
}

func (h *Handler) stripeWebhook(c *gin.Context) {
	payload, _ := io.ReadAll(io.LimitReader(c.Request.Body, 1<<16))
	ev, err := webhook.ConstructEvent(payload, c.GetHeader("Stripe-Signature"), os.Getenv("STRIPE_WEBHOOK_SECRET"))
	if err != nil {
		c.Status(http.StatusBadRequest)
		return
	}
	if ev.Type == "payment_intent.succeeded" {
		var pi stripe.PaymentIntent
		if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		charterID, _ := strconv.ParseUint(pi.Metadata["charter_id"], 10, 64)
		fee := pi.Amount * 8 / 100
		if err := h.repo.MarkPaid(uint(charterID), pi.Amount, fee); err != nil {
			log.Printf("stripe webhook %s: %v", ev.ID, err)
			c.Status(http.StatusInternalServerError)
			return
		}
	}
	c.Status(http.StatusOK)
}
