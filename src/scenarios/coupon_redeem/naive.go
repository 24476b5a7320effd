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
	var redeemedBy sql.NullInt64
	var credit int64
	err := h.DB.QueryRowContext(c, "SELECT redeemed_by, credit_cents FROM coupons WHERE code = $1", code).
		Scan(&redeemedBy, &credit)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusNotFound, gin.H{"error": "unknown code"})
		return
	} else if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if redeemedBy.Valid {
		c.JSON(http.StatusConflict, gin.H{"error": "code already used"})
		return
	}
	if _, err := h.DB.ExecContext(c,
		"UPDATE coupons SET redeemed_by = $1, redeemed_at = now() WHERE code = $2", userID, code); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if _, err := h.DB.ExecContext(c,
		"UPDATE accounts SET credit_cents = credit_cents + $1 WHERE user_id = $2", credit, userID); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"credited_cents": credit})
}
