package rally

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

type PitchHandlers struct {
	DB  *sql.DB
	Log *slog.Logger
}

type Pitch struct {
	ID           int64  `json:"id"`
	Row          string `json:"row"`
	Number       int    `json:"number"`
	Hardstanding bool   `json:"hardstanding"`
}

func (h *PitchHandlers) Register(g *gin.RouterGroup) {
	g.GET("/rallies/:rallyID/pitches/free", h.listFree)
	g.POST("/rallies/:rallyID/pitches/:pitchID/claim", h.claim)
}

// listFree shows unallocated pitches for the exhibitor sign-up page. A big
// steam-and-vintage weekend has ~600 pitches, so the page is capped.
func (h *PitchHandlers) listFree(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	clubID := c.GetInt64("club_id") // set by the auth middleware from the session
	rows, err := h.DB.QueryContext(ctx, `
		SELECT id, pitch_row, pitch_no, hardstanding
		  FROM rally_pitches
		 WHERE club_id = $1 AND rally_id = $2 AND exhibitor_id IS NULL
		 ORDER BY pitch_row, pitch_no
		 LIMIT 200`, clubID, c.Param("rallyID"))
	if err != nil {
		h.Log.Error("list free pitches", "rally", c.Param("rallyID"), "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load pitches"})
		return
	}
	defer rows.Close()

	pitches := make([]Pitch, 0, 64)
	for rows.Next() {
		var p Pitch
		if err := rows.Scan(&p.ID, &p.Row, &p.Number, &p.Hardstanding); err != nil {
			h.Log.Error("scan pitch", "err", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load pitches"})
			return
		}
		pitches = append(pitches, p)
	}
	if err := rows.Err(); err != nil {
		h.Log.Error("iterate pitches", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load pitches"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"pitches": pitches})
}

// claim gives a pitch to the signed-in exhibitor. The WHERE clause does the
// availability check and the write in one statement, so two exhibitors
// clicking the same pitch cannot both get it.
func (h *PitchHandlers) claim(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	clubID := c.GetInt64("club_id")
	exhibitorID := c.GetInt64("exhibitor_id")
	pitchID, err := strconv.ParseInt(c.Param("pitchID"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad pitch id"})
		return
	}

	var tractorReg string
	err = h.DB.QueryRowContext(ctx, `
		UPDATE rally_pitches
		   SET exhibitor_id = $1, claimed_at = now()
		 WHERE club_id = $2 AND rally_id = $3 AND id = $4 AND exhibitor_id IS NULL
		RETURNING (SELECT tractor_reg FROM exhibitors WHERE id = $1 AND club_id = $2)`,
		exhibitorID, clubID, c.Param("rallyID"), pitchID).Scan(&tractorReg)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusConflict, gin.H{"error": "pitch already taken"})
		return
	}
	if err != nil {
		h.Log.Error("claim pitch", "pitch", pitchID, "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not claim pitch"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"pitch_id": pitchID, "tractor": tractorReg})
}
