package fridge

import (
	"context"
	"database/sql"
	"errors"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// StockAdjust is what the volunteer app sends after someone restocks a
// community fridge or takes items out. Delta is negative for removals.
type StockAdjust struct {
	Category  string `json:"category" binding:"required"` // "dairy", "bread", "veg", "prepared"
	Delta     int    `json:"delta" binding:"required"`
	Volunteer string `json:"volunteer"`
	Note      string `json:"note"`
}

type LogEntry struct {
	ID        int64     `json:"id"`
	Category  string    `json:"category"`
	Delta     int       `json:"delta"`
	Volunteer string    `json:"volunteer"`
	Note      string    `json:"note"`
	LoggedAt  time.Time `json:"logged_at"`
}

type Server struct {
	db *sql.DB
}

func (s *Server) Routes(r *gin.Engine) {
	r.POST("/fridges/:id/stock", s.adjustStock)
	r.GET("/fridges/:id/log", s.stockLog)
}

func (s *Server) adjustStock(c *gin.Context) {
	fridgeID := c.Param("id")
	var req StockAdjust
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	var current int
	err := s.db.QueryRowContext(ctx,
		`SELECT item_count FROM fridge_stock WHERE fridge_id = $1 AND category = $2`,
		fridgeID, req.Category).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		current = 0
	} else if err != nil {
		log.Printf("read stock fridge=%s: %v", fridgeID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "stock unavailable"})
		return
	}

	// Volunteers sometimes forget to log a drop-off, so never show a negative count.
	next := current + req.Delta
	if next < 0 {
		next = 0
	}

	if _, err := s.db.ExecContext(ctx,
		`INSERT INTO fridge_stock (fridge_id, category, item_count, updated_at)
		 VALUES ($1, $2, $3, now())
		 ON CONFLICT (fridge_id, category)
		 DO UPDATE SET item_count = EXCLUDED.item_count, updated_at = now()`,
		fridgeID, req.Category, next); err != nil {
		log.Printf("write stock fridge=%s: %v", fridgeID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not save"})
		return
	}

	if _, err := s.db.ExecContext(ctx,
		`INSERT INTO stock_log (fridge_id, category, delta, volunteer, note, logged_at)
		 VALUES ($1, $2, $3, $4, $5, now())`,
		fridgeID, req.Category, req.Delta, req.Volunteer, req.Note); err != nil {
		log.Printf("stock log fridge=%s: %v", fridgeID, err)
	}

	c.JSON(http.StatusOK, gin.H{"fridge_id": fridgeID, "category": req.Category, "item_count": next})
}

// stockLog feeds the "history" tab on the public fridge page.
func (s *Server) stockLog(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()

	rows, err := s.db.QueryContext(ctx,
		`SELECT id, category, delta, volunteer, note, logged_at FROM stock_log WHERE fridge_id = $1 ORDER BY logged_at DESC`,
		c.Param("id"))
	if err != nil {
		log.Printf("stock log query: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "history unavailable"})
		return
	}
	defer rows.Close()

	entries := []LogEntry{}
	for rows.Next() {
		var e LogEntry
		if err := rows.Scan(&e.ID, &e.Category, &e.Delta, &e.Volunteer, &e.Note, &e.LoggedAt); err != nil {
			log.Printf("scan stock log: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "history unavailable"})
			return
		}
		entries = append(entries, e)
	}
	c.JSON(http.StatusOK, entries)
}
