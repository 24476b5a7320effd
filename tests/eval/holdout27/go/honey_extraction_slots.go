package honeyroom

import (
	"database/sql"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/lib/pq"
)

// The beekeeping association shares one extraction room. Members book a slot,
// spin their frames, and log the yield so the association can report the
// season's total to the county federation.

var (
	namesMu        sync.RWMutex
	beekeeperNames = map[int64]string{}
)

type yieldRequest struct {
	SlotID   int64   `json:"slot_id" binding:"required"`
	Kg       float64 `json:"kg" binding:"required,gt=0"`
	Frames   int     `json:"frames"`
	Moisture float64 `json:"moisture_pct"`
}

func RegisterRoutes(r *gin.Engine) {
	r.POST("/members/:id/yield", recordYield)
	r.GET("/members/:id/name", memberName)
}

func openDB() (*sql.DB, error) {
	return sql.Open("postgres", os.Getenv("DATABASE_URL"))
}

func recordYield(c *gin.Context) {
	memberID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid member id"})
		return
	}
	var req yieldRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}

	db, err := openDB()
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	defer db.Close()
	ctx := c.Request.Context()

	var seasonKg float64
	if err := db.QueryRowContext(ctx, `SELECT season_kg FROM members WHERE id = $1`, memberID).Scan(&seasonKg); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}

	if _, err := db.ExecContext(ctx, `
		INSERT INTO extraction_yields (slot_id, member_id, kg, frames, moisture_pct, logged_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		req.SlotID, memberID, req.Kg, req.Frames, req.Moisture, time.Now()); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}

	newTotal := seasonKg + req.Kg
	if _, err := db.ExecContext(ctx, `UPDATE members SET season_kg = $1 WHERE id = $2`, newTotal, memberID); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"season_kg": newTotal})
}

// memberName is used by the room rota screen, which polls every few seconds.
func memberName(c *gin.Context) {
	memberID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid member id"})
		return
	}
	namesMu.RLock()
	name, ok := beekeeperNames[memberID]
	namesMu.RUnlock()
	if ok {
		c.JSON(http.StatusOK, gin.H{"name": name})
		return
	}

	db, err := openDB()
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	defer db.Close()
	if err := db.QueryRowContext(c.Request.Context(),
		`SELECT display_name FROM members WHERE id = $1`, memberID).Scan(&name); err != nil {
		c.AbortWithError(http.StatusNotFound, err)
		return
	}
	namesMu.Lock()
	beekeeperNames[memberID] = name
	namesMu.Unlock()
	c.JSON(http.StatusOK, gin.H{"name": name})
}
