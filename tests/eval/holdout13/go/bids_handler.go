package auction

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// BidHandler serves the live-lot endpoints for the Friday evening sales.
type BidHandler struct {
	DB          *sql.DB
	NotifierURL string // e.g. http://notifier.internal:8080
}

type placeBidRequest struct {
	AmountCents int64 `json:"amount_cents" binding:"required,gt=0"`
}

type lotView struct {
	ID           int64     `json:"id"`
	Title        string    `json:"title"`
	Artist       string    `json:"artist"`
	HighBidCents int64     `json:"high_bid_cents"`
	ClosesAt     time.Time `json:"closes_at"`
}

// GET /lots/:id
func (h *BidHandler) getLot(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad lot id"})
		return
	}
	var v lotView
	err = h.DB.QueryRowContext(c.Request.Context(), `SELECT id, title, artist, high_bid_cents, closes_at FROM lots WHERE id = $1`, id).
		Scan(&v.ID, &v.Title, &v.Artist, &v.HighBidCents, &v.ClosesAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		c.JSON(http.StatusNotFound, gin.H{"error": "lot not found"})
	case err != nil:
		c.AbortWithError(http.StatusInternalServerError, err)
	default:
		c.JSON(http.StatusOK, v)
	}
}

// POST /lots/:id/bids
func (h *BidHandler) placeBid(c *gin.Context) {
	ctx := c.Request.Context()
	lotID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad lot id"})
		return
	}
	var req placeBidRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}

	bidderID := c.GetInt64("user_id") // set by auth middleware

	var highBid, prevBidder int64
	var closesAt time.Time
	err = h.DB.QueryRowContext(ctx, `SELECT high_bid_cents, COALESCE(high_bidder_id, 0), closes_at FROM lots WHERE id = $1`, lotID).Scan(&highBid, &prevBidder, &closesAt)
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "lot not found"})
		return
	}
	if time.Now().After(closesAt) {
		c.JSON(http.StatusConflict, gin.H{"error": "lot closed"})
		return
	}
	if req.AmountCents <= highBid {
		c.JSON(http.StatusConflict, gin.H{"error": "bid must exceed current high bid", "high_bid_cents": highBid})
		return
	}

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO bids (lot_id, bidder_id, amount_cents) VALUES ($1, $2, $3)`,
		lotID, bidderID, req.AmountCents); err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if _, err := tx.ExecContext(ctx, `UPDATE lots SET high_bid_cents = $1, high_bidder_id = $2 WHERE id = $3`,
		req.AmountCents, bidderID, lotID); err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if prevBidder != 0 && prevBidder != bidderID {
		go h.notifyOutbid(lotID, prevBidder, req.AmountCents)
	}
	c.JSON(http.StatusCreated, gin.H{"lot_id": lotID, "amount_cents": req.AmountCents})
}

func (h *BidHandler) notifyOutbid(lotID, userID, amount int64) {
	body, _ := json.Marshal(map[string]int64{"lot_id": lotID, "user_id": userID, "amount_cents": amount})
	resp, err := http.Post(h.NotifierURL+"/v1/outbid", "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("outbid notify lot=%d user=%d: %v", lotID, userID, err)
		return
	}
	resp.Body.Close()
}
