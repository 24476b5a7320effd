package tastings

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// Venues run menu tastings for couples a few Saturdays per quarter. Each
// tasting slot has a fixed number of tables; a couple may book one table per
// slot. Venue staff and couples only ever see rows of their own venue.
type TastingAPI struct {
	DB *sql.DB // shared pool, configured in main (MaxOpenConns 20)
}

type slotRow struct {
	ID         int64     `json:"id"`
	StartsAt   time.Time `json:"starts_at"`
	TablesLeft int       `json:"tables_left"`
	Menu       string    `json:"menu"`
}

func (a *TastingAPI) Register(r *gin.RouterGroup) {
	r.GET("/venues/:venueID/tastings", a.listSlots)
	r.POST("/venues/:venueID/tastings/:slotID/reserve", a.reserve)
}

func (a *TastingAPI) listSlots(c *gin.Context) {
	venueID, _ := strconv.ParseInt(c.Param("venueID"), 10, 64)
	after, _ := strconv.ParseInt(c.DefaultQuery("after_id", "0"), 10, 64)
	limit, err := strconv.Atoi(c.DefaultQuery("limit", "20"))
	if err != nil || limit < 1 || limit > 50 {
		limit = 20
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()

	rows, err := a.DB.QueryContext(ctx, `
		SELECT id, starts_at, tables_left, menu_name
		FROM tasting_slots
		WHERE venue_id = $1 AND starts_at > now() AND id > $2
		ORDER BY id
		LIMIT $3`, venueID, after, limit)
	if err != nil {
		c.Error(err)
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "could not load tastings"})
		return
	}
	defer rows.Close()

	slots := make([]slotRow, 0, limit)
	for rows.Next() {
		var s slotRow
		if err := rows.Scan(&s.ID, &s.StartsAt, &s.TablesLeft, &s.Menu); err != nil {
			c.Error(err)
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "could not load tastings"})
			return
		}
		slots = append(slots, s)
	}
	c.JSON(http.StatusOK, gin.H{"slots": slots})
}

func (a *TastingAPI) reserve(c *gin.Context) {
	venueID, _ := strconv.ParseInt(c.Param("venueID"), 10, 64)
	slotID, _ := strconv.ParseInt(c.Param("slotID"), 10, 64)
	coupleID := c.GetInt64("couple_id") // set by the auth middleware

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	tx, err := a.DB.BeginTx(ctx, nil)
	if err != nil {
		c.Error(err)
		c.AbortWithStatusJSON(http.StatusServiceUnavailable, gin.H{"error": "try again"})
		return
	}
	defer tx.Rollback()

	// Take a table only if one is left; the row count tells us who won.
	res, err := tx.ExecContext(ctx, `
		UPDATE tasting_slots SET tables_left = tables_left - 1
		WHERE id = $1 AND venue_id = $2 AND tables_left > 0`, slotID, venueID)
	if err != nil {
		c.Error(err)
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "reservation failed"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "this tasting is fully booked"})
		return
	}

	// UNIQUE (slot_id, couple_id) keeps a double click from taking two tables.
	res, err = tx.ExecContext(ctx, `
		INSERT INTO tasting_reservations (slot_id, venue_id, couple_id)
		VALUES ($1, $2, $3)
		ON CONFLICT (slot_id, couple_id) DO NOTHING`, slotID, venueID, coupleID)
	if err != nil {
		c.Error(err)
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "reservation failed"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusOK, gin.H{"status": "already reserved"})
		return
	}
	if err := tx.Commit(); err != nil {
		c.Error(err)
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "reservation failed"})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"status": "reserved"})
}
