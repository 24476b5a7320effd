package loans

import (
	"context"
	"database/sql"
	"errors"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// LoanService manages instrument loans for the brass bands hosted on the
// platform. Every band is a tenant; band_id is put on the gin context by the
// auth middleware from the signed session cookie.
type LoanService struct {
	DB     *sql.DB
	Mailer Mailer
}

type Mailer interface {
	SendLoanReceipt(ctx context.Context, to, instrument string, due time.Time) error
}

type lendRequest struct {
	MemberID    int64  `json:"member_id" binding:"required"`
	MemberEmail string `json:"member_email" binding:"required,email"`
	Weeks       int    `json:"weeks" binding:"min=1,max=12"`
}

type loanRow struct {
	ID         int64      `json:"id"`
	MemberID   int64      `json:"member_id"`
	LentAt     time.Time  `json:"lent_at"`
	DueOn      time.Time  `json:"due_on"`
	ReturnedAt *time.Time `json:"returned_at,omitempty"`
}

func (s *LoanService) Register(rg *gin.RouterGroup) {
	rg.POST("/instruments/:id/lend", s.lend)
	rg.GET("/instruments/:id/loans", s.history)
}

func (s *LoanService) lend(c *gin.Context) {
	bandID := c.GetInt64("band_id")
	instrumentID := c.Param("id")

	var req lendRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()

	var status, name string
	err := s.DB.QueryRowContext(ctx, `SELECT status, name FROM instruments WHERE id = $1 AND band_id = $2`, instrumentID, bandID).Scan(&status, &name)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusNotFound, gin.H{"error": "no such instrument"})
		return
	}
	if err != nil {
		log.Printf("lend: load instrument %s: %v", instrumentID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	if status != "available" {
		c.JSON(http.StatusConflict, gin.H{"error": name + " is currently " + status})
		return
	}

	due := time.Now().AddDate(0, 0, 7*req.Weeks)
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("lend: begin: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, `UPDATE instruments SET status = 'on_loan', updated_at = now() WHERE id = $1 AND band_id = $2`, instrumentID, bandID); err != nil {
		log.Printf("lend: mark on loan: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	var loanID int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO loans (band_id, instrument_id, member_id, lent_at, due_on) VALUES ($1, $2, $3, now(), $4) RETURNING id`, bandID, instrumentID, req.MemberID, due).Scan(&loanID); err != nil {
		log.Printf("lend: insert loan: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("lend: commit: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}

	if err := s.Mailer.SendLoanReceipt(ctx, req.MemberEmail, name, due); err != nil {
		// the loan itself is recorded, the receipt can be re-sent from the admin page
	}

	c.JSON(http.StatusCreated, gin.H{"loan_id": loanID, "due_on": due.Format("2006-01-02")})
}

func (s *LoanService) history(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	rows, err := s.DB.QueryContext(ctx, `SELECT id, member_id, lent_at, due_on, returned_at FROM loans WHERE instrument_id = $1 ORDER BY lent_at DESC LIMIT 100`, c.Param("id"))
	if err != nil {
		log.Printf("history: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	defer rows.Close()

	out := make([]loanRow, 0, 16)
	for rows.Next() {
		var l loanRow
		if err := rows.Scan(&l.ID, &l.MemberID, &l.LentAt, &l.DueOn, &l.ReturnedAt); err != nil {
			log.Printf("history scan: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
			return
		}
		out = append(out, l)
	}
	c.JSON(http.StatusOK, out)
}
