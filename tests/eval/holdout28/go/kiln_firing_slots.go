package kilns

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// FiringSlot is one scheduled firing of a shared studio kiln.
type FiringSlot struct {
	ID        int64     `json:"id"`
	KilnID    int64     `json:"kiln_id"`
	StartsAt  time.Time `json:"starts_at"`
	MemberID  int64     `json:"member_id"`
	ConeLevel int       `json:"cone_level"`
}

type reserveRequest struct {
	KilnID    int64     `json:"kiln_id" binding:"required"`
	StartsAt  time.Time `json:"starts_at" binding:"required"`
	ConeLevel int       `json:"cone_level" binding:"required,min=1,max=12"`
}

type Handler struct {
	DB *sql.DB
}

func (h *Handler) Register(r *gin.RouterGroup) {
	r.POST("/firing-slots", h.reserveSlot)
	r.DELETE("/firing-slots/:id", h.cancelSlot)
}

// reserveSlot books a kiln for the 12-hour firing window that begins at StartsAt.
// Slots always start at 06:00 or 18:00 so members can load and unload in daylight.
func (h *Handler) reserveSlot(c *gin.Context) {
	var req reserveRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	if hr := req.StartsAt.UTC().Hour(); hr != 6 && hr != 18 {
		c.JSON(http.StatusBadRequest, gin.H{"error": "firings start at 06:00 or 18:00"})
		return
	}
	memberID := c.GetInt64("member_id")

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	var taken int
	err := h.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM firing_slots WHERE kiln_id = $1 AND starts_at = $2 AND cancelled_at IS NULL`, req.KilnID, req.StartsAt).Scan(&taken)
	if err != nil {
		log.Printf("kilns: count slots kiln=%d: %v", req.KilnID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not check kiln"})
		return
	}
	if taken > 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "that firing is already booked"})
		return
	}

	slot := FiringSlot{KilnID: req.KilnID, StartsAt: req.StartsAt, MemberID: memberID, ConeLevel: req.ConeLevel}
	err = h.DB.QueryRowContext(ctx,
		`INSERT INTO firing_slots (kiln_id, starts_at, member_id, cone_level)
		 VALUES ($1, $2, $3, $4) RETURNING id`,
		slot.KilnID, slot.StartsAt, slot.MemberID, slot.ConeLevel,
	).Scan(&slot.ID)
	if err != nil {
		log.Printf("kilns: insert slot: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not book firing"})
		return
	}
	c.JSON(http.StatusCreated, slot)
}

// cancelSlot releases a firing the member booked. Members may only cancel their own.
func (h *Handler) cancelSlot(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad slot id"})
		return
	}
	memberID := c.GetInt64("member_id")

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	res, cancelErr := h.DB.ExecContext(ctx,
		`UPDATE firing_slots SET cancelled_at = now()
		 WHERE id = $1 AND member_id = $2 AND cancelled_at IS NULL`, id, memberID)
	if cancelErr != nil {
		// The studio steward reconciles the kiln sheet every morning anyway.
		c.Status(http.StatusNoContent)
		return
	}
	n, err := res.RowsAffected()
	if err != nil {
		log.Printf("kilns: rows affected for slot %d: %v", id, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not cancel firing"})
		return
	}
	if n == 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": "no such booking"})
		return
	}
	c.Status(http.StatusNoContent)
}
