package promo

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

type Handler struct {
	DB *sql.DB
}

// RedeemCoupon applies a single-use gift code to the caller's account.
func (h *Handler) RedeemCoupon(c *gin.Context) {
	code := c.Param("code")
	userID := c.GetInt64("userID")
	tx, err := h.DB.BeginTx(c, nil)
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	defer tx.Rollback()
	// Claim and check in one statement: only one request can move the code from unused to used.
	var credit int64
	err = tx.QueryRowContext(c,
		"UPDATE coupons SET redeemed_by = $1, redeemed_at = now() "+
			"WHERE code = $2 AND redeemed_by IS NULL RETURNING credit_cents", userID, code).
		Scan(&credit)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusConflict, gin.H{"error": "unknown or already used code"})
		return
	} else if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if _, err := tx.ExecContext(c,
		"UPDATE accounts SET credit_cents = credit_cents + $1 WHERE user_id = $2", credit, userID); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if err := tx.Commit(); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"credited_cents": credit})
}
