// Package drops — reservation endpoint for limited sneaker releases.
//
// Here's a race-free version of your reserve handler. The original read
// `remaining` from drop_sizes, checked it in Go and then wrote `remaining-1`
// back, which oversells when 5k people hit the button at 10:00:00. This
// version:
//
//  1. enforces one pair per customer with UNIQUE (drop_id, customer_id) and
//     INSERT ... ON CONFLICT DO NOTHING,
//  2. decrements stock with a single conditional UPDATE and checks
//     RowsAffected (the WHERE clause *is* the stock check),
//  3. does both in one transaction, so a sold-out size doesn't leave a
//     dangling reservation behind.
package drops

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

var (
	errSoldOut         = errors.New("sold out")
	errAlreadyReserved = errors.New("already reserved")
)

type Handler struct {
	DB *sql.DB // shared pool, opened once in main() with SetMaxOpenConns(40)
}

type reserveBody struct {
	Size string `json:"size" binding:"required"`
}

func (h *Handler) Register(r *gin.RouterGroup) {
	r.POST("/drops/:dropID/reserve", h.Reserve)
}

func (h *Handler) Reserve(c *gin.Context) {
	customerID := c.GetString("customer_id") // set by the auth middleware
	dropID := c.Param("dropID")

	var body reserveBody
	if err := c.ShouldBindJSON(&body); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	reservationID, err := h.reserve(ctx, dropID, customerID, body.Size)
	switch {
	case errors.Is(err, errSoldOut):
		c.JSON(http.StatusConflict, gin.H{"error": "this size is sold out"})
	case errors.Is(err, errAlreadyReserved):
		c.JSON(http.StatusConflict, gin.H{"error": "you already reserved a pair for this drop"})
	case err != nil:
		slog.Error("reserve failed", "drop", dropID, "customer", customerID, "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
	default:
		c.JSON(http.StatusCreated, gin.H{"reservation_id": reservationID})
	}
}

func (h *Handler) reserve(ctx context.Context, dropID, customerID, size string) (int64, error) {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() // no-op after Commit

	var reservationID int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO drop_reservations (drop_id, customer_id, size)
		VALUES ($1, $2, $3)
		ON CONFLICT (drop_id, customer_id) DO NOTHING
		RETURNING id`, dropID, customerID, size).Scan(&reservationID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errAlreadyReserved
	}
	if err != nil {
		return 0, err
	}

	res, err := tx.ExecContext(ctx, `
		UPDATE drop_sizes
		   SET remaining = remaining - 1
		 WHERE drop_id = $1 AND size = $2 AND remaining > 0`, dropID, size)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, errSoldOut // rollback also removes the reservation row
	}

	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return reservationID, nil
}
