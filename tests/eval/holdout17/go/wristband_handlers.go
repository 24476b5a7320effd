// Package wristbands contains the gin handlers for festival RFID wristbands:
// activation at the gate, cashless top-ups and bar payments.
//
// Notes:
//   - every wristband row belongs to a festival (festival_id); all queries on
//     wristbands are scoped by it.
//   - balance changes are done with single conditional UPDATE statements so
//     concurrent taps at two bars can never overdraw a band.
//   - the PSP client is created once with a client-level timeout.
package wristbands

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// pspClient is shared by all requests; the Timeout covers connect, TLS,
// headers and body read.
var pspClient = &http.Client{Timeout: 8 * time.Second}

type Handlers struct {
	DB     *sql.DB
	Log    *slog.Logger
	PSPURL string
}

func (h *Handlers) Register(r *gin.RouterGroup) {
	r.POST("/festivals/:fid/wristbands/:uid/activate", h.activate)
	r.POST("/festivals/:fid/wristbands/:uid/charge", h.charge)
	r.POST("/festivals/:fid/wristbands/:uid/topup", h.topUp)
	r.GET("/wristband-colors/:id", h.color)
}

// activate flips an issued band to active. The status condition in the WHERE
// clause makes a second tap at another gate a no-op instead of a double entry.
func (h *Handlers) activate(c *gin.Context) {
	res, err := h.DB.ExecContext(c.Request.Context(), `
		UPDATE wristbands
		   SET status = 'active', activated_at = now()
		 WHERE festival_id = $1 AND uid = $2 AND status = 'issued'`,
		c.Param("fid"), c.Param("uid"))
	if err != nil {
		h.Log.Error("activate wristband", "uid", c.Param("uid"), "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "wristband already active or unknown"})
		return
	}
	c.Status(http.StatusNoContent)
}

type chargeReq struct {
	AmountCents int    `json:"amount_cents" binding:"required,gt=0"`
	BarID       string `json:"bar_id" binding:"required"`
}

// charge debits the cashless balance atomically; RETURNING gives the new
// balance for the bar terminal display.
func (h *Handlers) charge(c *gin.Context) {
	var req chargeReq
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	var balance int
	err := h.DB.QueryRowContext(c.Request.Context(), `
		UPDATE wristbands
		   SET balance_cents = balance_cents - $3
		 WHERE festival_id = $1 AND uid = $2 AND status = 'active' AND balance_cents >= $3
		RETURNING balance_cents`,
		c.Param("fid"), c.Param("uid"), req.AmountCents).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusPaymentRequired, gin.H{"error": "insufficient balance or inactive band"})
		return
	}
	if err != nil {
		h.Log.Error("charge wristband", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"balance_cents": balance})
}

type topUpReq struct {
	AmountCents    int    `json:"amount_cents" binding:"required,gt=0"`
	CardToken      string `json:"card_token" binding:"required"`
	IdempotencyKey string `json:"idempotency_key" binding:"required,uuid"`
}

func (h *Handlers) topUp(c *gin.Context) {
	var req topUpReq
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	body, _ := json.Marshal(map[string]any{"amount": req.AmountCents, "token": req.CardToken})
	pr, _ := http.NewRequestWithContext(c.Request.Context(), http.MethodPost, h.PSPURL+"/charges", bytes.NewReader(body))
	pr.Header.Set("Content-Type", "application/json")
	pr.Header.Set("Idempotency-Key", req.IdempotencyKey)
	resp, err := pspClient.Do(pr)
	if err != nil {
		h.Log.Error("psp charge", "err", err)
		c.JSON(http.StatusBadGateway, gin.H{"error": "payment provider unavailable"})
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.JSON(http.StatusPaymentRequired, gin.H{"error": fmt.Sprintf("card declined (%d)", resp.StatusCode)})
		return
	}

	// The ledger row is keyed by the idempotency key, so a retried top-up
	// credits the band only once.
	var balance int
	err = h.DB.QueryRowContext(c.Request.Context(), `
		WITH ins AS (
		  INSERT INTO topups (idempotency_key, festival_id, uid, amount_cents)
		  VALUES ($1, $2, $3, $4)
		  ON CONFLICT (idempotency_key) DO NOTHING
		  RETURNING amount_cents
		)
		UPDATE wristbands w
		   SET balance_cents = w.balance_cents + ins.amount_cents
		  FROM ins
		 WHERE w.festival_id = $2 AND w.uid = $3
		RETURNING w.balance_cents`,
		req.IdempotencyKey, c.Param("fid"), c.Param("uid"), req.AmountCents).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusOK, gin.H{"status": "already applied"})
		return
	}
	if err != nil {
		h.Log.Error("credit wristband", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"balance_cents": balance})
}

// color returns the display colour of a wristband type. wristband_colors is a
// global lookup table (no festival_id column).
func (h *Handlers) color(c *gin.Context) {
	var label, hex string
	err := h.DB.QueryRowContext(c.Request.Context(),
		`SELECT label, hex FROM wristband_colors WHERE id = $1`, c.Param("id")).Scan(&label, &hex)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusNotFound, gin.H{"error": "unknown colour"})
		return
	}
	if err != nil {
		h.Log.Error("wristband colour", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"label": label, "hex": hex})
}
