package pens

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// Pen allocation for the county agricultural show. Exhibitors claim a pen in
// the sheep or cattle lines from the exhibitor portal on entry night, when a
// few hundred people are refreshing the same plan at once.

type PenHandlers struct {
	DB *sql.DB
}

type pen struct {
	ID        int64  `json:"id"`
	Line      string `json:"line"`
	Number    int    `json:"number"`
	Species   string `json:"species"`
	Available bool   `json:"available"`
}

func (h *PenHandlers) Register(g *gin.RouterGroup) {
	g.GET("/shows/:show/pens", h.list)
	g.POST("/shows/:show/pens/:pen/claim", h.claim)
	g.POST("/shows/:show/pens/:pen/release", h.release)
}

func (h *PenHandlers) list(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "0"))
	if page < 0 {
		page = 0
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	rows, err := h.DB.QueryContext(ctx, `
		SELECT id, line, pen_number, species, exhibitor_id IS NULL
		FROM pens
		WHERE show_id = $1 AND species = $2
		ORDER BY line, pen_number
		LIMIT 100 OFFSET $3`, c.Param("show"), c.DefaultQuery("species", "sheep"), page*100)
	if err != nil {
		log.Printf("list pens: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load pens"})
		return
	}
	defer rows.Close()

	out := make([]pen, 0, 100)
	for rows.Next() {
		var p pen
		if err := rows.Scan(&p.ID, &p.Line, &p.Number, &p.Species, &p.Available); err != nil {
			log.Printf("scan pen: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load pens"})
			return
		}
		out = append(out, p)
	}
	c.JSON(http.StatusOK, gin.H{"page": page, "pens": out})
}

// claim gives the pen to the exhibitor only if nobody holds it yet; the
// condition lives in the UPDATE so two people clicking the same pen can't both win.
func (h *PenHandlers) claim(c *gin.Context) {
	exhibitorID := c.GetInt64("exhibitor_id") // set by the portal's auth middleware
	penID, err := strconv.ParseInt(c.Param("pen"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad pen id"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	res, err := h.DB.ExecContext(ctx, `
		UPDATE pens SET exhibitor_id = $1, claimed_at = now()
		WHERE id = $2 AND show_id = $3 AND exhibitor_id IS NULL`, exhibitorID, penID, c.Param("show"))
	if err != nil {
		log.Printf("claim pen %d: %v", penID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not claim pen"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "pen has just been taken"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"pen_id": penID, "exhibitor_id": exhibitorID})
}

func (h *PenHandlers) release(c *gin.Context) {
	exhibitorID := c.GetInt64("exhibitor_id")
	penID, err := strconv.ParseInt(c.Param("pen"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad pen id"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	res, err := h.DB.ExecContext(ctx, `
		UPDATE pens SET exhibitor_id = NULL, claimed_at = NULL
		WHERE id = $1 AND show_id = $2 AND exhibitor_id = $3`, penID, c.Param("show"), exhibitorID)
	if err != nil {
		log.Printf("release pen %d: %v", penID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not release pen"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": "you don't hold that pen"})
		return
	}
	c.Status(http.StatusNoContent)
}
