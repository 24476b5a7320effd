package rota

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

type Handler struct {
	db *sql.DB
}

type PickingShift struct {
	ID            int64     `json:"id"`
	BlockName     string    `json:"block_name"`
	ShiftDate     time.Time `json:"shift_date"`
	MaxPickers    int       `json:"max_pickers"`
	PickersBooked int       `json:"pickers_booked"`
}

const defaultPageSize = 50

// ListShifts returns the harvest picking rota for the caller's vineyard,
// keyset-paginated by shift id.  GET /rota/shifts?after=123&limit=50
func (h *Handler) ListShifts(c *gin.Context) {
	vineyardID := c.GetInt64("vineyard_id") // set by the auth middleware from the JWT
	after, err := strconv.ParseInt(c.DefaultQuery("after", "0"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid cursor"})
		return
	}
	limit, err := strconv.Atoi(c.DefaultQuery("limit", strconv.Itoa(defaultPageSize)))
	if err != nil || limit <= 0 || limit > 200 {
		limit = defaultPageSize
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()

	rows, err := h.db.QueryContext(ctx, `
		SELECT id, block_name, shift_date, max_pickers, pickers_booked
		  FROM picking_shifts
		 WHERE vineyard_id = $1 AND id > $2
		 ORDER BY id
		 LIMIT $3`, vineyardID, after, limit)
	if err != nil {
		log.Printf("list shifts vineyard=%d: %v", vineyardID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load rota"})
		return
	}
	defer rows.Close()

	shifts := make([]PickingShift, 0, limit)
	for rows.Next() {
		var s PickingShift
		if err := rows.Scan(&s.ID, &s.BlockName, &s.ShiftDate, &s.MaxPickers, &s.PickersBooked); err != nil {
			log.Printf("scan shift: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load rota"})
			return
		}
		shifts = append(shifts, s)
	}
	c.JSON(http.StatusOK, gin.H{"shifts": shifts})
}

// JoinShift books the current picker onto a shift. The capacity check and
// the increment happen in one statement; the unique (shift_id, picker_id)
// constraint stops the same picker being booked twice.
func (h *Handler) JoinShift(c *gin.Context) {
	vineyardID := c.GetInt64("vineyard_id")
	pickerID := c.GetInt64("user_id")
	shiftID, err := strconv.ParseInt(c.Param("shiftID"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid shift id"})
		return
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("begin tx: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "try again"})
		return
	}
	defer tx.Rollback()

	ins, err := tx.ExecContext(ctx, `
		INSERT INTO shift_pickers (shift_id, picker_id, joined_at)
		VALUES ($1, $2, now())
		ON CONFLICT (shift_id, picker_id) DO NOTHING`, shiftID, pickerID)
	if err != nil {
		log.Printf("insert shift picker: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "try again"})
		return
	}
	n, err := ins.RowsAffected()
	if err != nil {
		log.Printf("rows affected: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "try again"})
		return
	}
	if n == 0 {
		c.JSON(http.StatusOK, gin.H{"status": "already booked"})
		return
	}

	upd, err := tx.ExecContext(ctx, `
		UPDATE picking_shifts
		   SET pickers_booked = pickers_booked + 1
		 WHERE id = $1 AND vineyard_id = $2 AND pickers_booked < max_pickers`,
		shiftID, vineyardID)
	if err != nil {
		log.Printf("increment shift %d: %v", shiftID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "try again"})
		return
	}
	n, err = upd.RowsAffected()
	if err != nil {
		log.Printf("rows affected: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "try again"})
		return
	}
	if n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "shift is full"})
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("commit join shift: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "try again"})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"status": "booked"})
}
