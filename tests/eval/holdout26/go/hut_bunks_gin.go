package huts

import (
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// Bunk allocation for the alpine club's mountain huts. Sections share the
// database, so every query is scoped by section_id (set by the auth
// middleware from the verified session token).

type BunkHandler struct {
	db  *sql.DB // shared pool, configured in main (SetMaxOpenConns etc.)
	log *slog.Logger
}

type claimRequest struct {
	MemberID int64 `json:"member_id" binding:"required"`
	Bunks    int   `json:"bunks" binding:"required,min=1,max=6"`
}

type hutNight struct {
	ID         int64     `json:"id"`
	Night      time.Time `json:"night"`
	BunksTotal int       `json:"bunks_total"`
	BunksTaken int       `json:"bunks_taken"`
}

// Claim reserves bunks on one hut night. The allocation row and the counter
// change commit together; the capacity test is part of the UPDATE itself.
func (h *BunkHandler) Claim(c *gin.Context) {
	ctx := c.Request.Context()
	sectionID := c.GetInt64("sectionID")
	nightID, err := strconv.ParseInt(c.Param("nightID"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad night id"})
		return
	}
	var req claimRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}

	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		h.fail(c, "begin claim", err)
		return
	}
	defer tx.Rollback() // no-op after Commit

	var allocID int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO bunk_allocations (hut_night_id, section_id, member_id, bunks)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (hut_night_id, member_id) DO NOTHING
		RETURNING id`, nightID, sectionID, req.MemberID, req.Bunks).Scan(&allocID)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusConflict, gin.H{"error": "member already has bunks that night"})
		return
	}
	if err != nil {
		h.fail(c, "insert allocation", err)
		return
	}

	res, err := tx.ExecContext(ctx, `
		UPDATE hut_nights
		SET bunks_taken = bunks_taken + $1
		WHERE id = $2 AND section_id = $3 AND bunks_taken + $1 <= bunks_total`,
		req.Bunks, nightID, sectionID)
	if err != nil {
		h.fail(c, "take bunks", err)
		return
	}
	n, err := res.RowsAffected()
	if err != nil {
		h.fail(c, "rows affected", err)
		return
	}
	if n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "not enough free bunks"})
		return
	}
	if err := tx.Commit(); err != nil {
		h.fail(c, "commit claim", err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"allocation_id": allocID})
}

// ListNights shows up to 60 upcoming nights for one hut.
func (h *BunkHandler) ListNights(c *gin.Context) {
	rows, err := h.db.QueryContext(c.Request.Context(), `
		SELECT id, night, bunks_total, bunks_taken
		FROM hut_nights
		WHERE section_id = $1 AND hut_id = $2 AND night >= current_date
		ORDER BY night
		LIMIT 60`, c.GetInt64("sectionID"), c.Param("hutID"))
	if err != nil {
		h.fail(c, "list nights", err)
		return
	}
	defer rows.Close()
	nights := make([]hutNight, 0, 60)
	for rows.Next() {
		var n hutNight
		if err := rows.Scan(&n.ID, &n.Night, &n.BunksTotal, &n.BunksTaken); err != nil {
			h.fail(c, "scan night", err)
			return
		}
		nights = append(nights, n)
	}
	if err := rows.Err(); err != nil {
		h.fail(c, "iterate nights", err)
		return
	}
	c.JSON(http.StatusOK, nights)
}

func (h *BunkHandler) fail(c *gin.Context, what string, err error) {
	h.log.Error(what, "err", err, "path", c.FullPath())
	c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
}
