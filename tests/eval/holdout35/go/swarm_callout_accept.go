package swarms

import (
	"errors"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

type SwarmCallout struct {
	ID            uint64 `gorm:"primaryKey"`
	AssociationID uint64 `gorm:"index"`
	Postcode      string
	Location      string // "in the hedge behind the Co-op", "on a car wing mirror"
	Status        string // open, accepted, collected, not_bees
	CollectorID   *uint64
	AcceptedAt    *time.Time
}

type Collector struct {
	ID             uint64 `gorm:"primaryKey"`
	AssociationID  uint64 `gorm:"index"`
	Name           string
	ActiveCallouts int
	SeasonTotal    int
	LastCalloutAt  *time.Time
}

type Server struct {
	DSN string // postgres://... from the SWARMS_DATABASE_URL env var
}

// acceptCallout is hit from the collector's phone when they tap "I'll go"
// on a swarm report. The first collector to accept gets the callout.
func (s *Server) acceptCallout(c *gin.Context) {
	assocID := c.GetUint64("association_id")
	collectorID := c.GetUint64("collector_id")
	calloutID := c.Param("id")

	db, err := gorm.Open(postgres.Open(s.DSN), &gorm.Config{})
	if err != nil {
		log.Printf("swarms: open db: %v", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "database unavailable"})
		return
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	db = db.WithContext(c.Request.Context())

	now := time.Now()
	res := db.Model(&SwarmCallout{}).
		Where("id = ? AND association_id = ? AND status = ?", calloutID, assocID, "open").
		Updates(map[string]any{"status": "accepted", "collector_id": collectorID, "accepted_at": now})
	if res.Error != nil {
		log.Printf("swarms: accept %s: %v", calloutID, res.Error)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not accept"})
		return
	}
	if res.RowsAffected == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "someone is already on their way"})
		return
	}

	// Keep the collector's tallies current for the association's season report
	// and for the "max 3 active callouts" nudge in the app.
	var col Collector
	if err := db.First(&col, "id = ? AND association_id = ?", collectorID, assocID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			c.JSON(http.StatusNotFound, gin.H{"error": "collector not found"})
			return
		}
		log.Printf("swarms: load collector %d: %v", collectorID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not update collector"})
		return
	}
	col.ActiveCallouts++
	col.SeasonTotal++
	col.LastCalloutAt = &now
	if err := db.Save(&col).Error; err != nil {
		log.Printf("swarms: save collector %d: %v", collectorID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not update collector"})
		return
	}

	var callout SwarmCallout
	if err := db.First(&callout, "id = ? AND association_id = ?", calloutID, assocID).Error; err != nil {
		log.Printf("swarms: reload callout %s: %v", calloutID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "accepted, but could not load details"})
		return
	}
	c.JSON(http.StatusOK, gin.H{
		"callout":        callout,
		"active_for_you": col.ActiveCallouts,
	})
}
