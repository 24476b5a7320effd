package races

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Fell-race registrations. When the organiser closes entries we allocate bib numbers,
// render each runner's race pack (bib PDF + kit checklist + route GPX) and email it.

type Race struct {
	ID       uint
	Name     string
	StartsAt time.Time
	EntryCap int
	ClosedAt *time.Time
}

type Entry struct {
	ID        uint
	RaceID    uint
	RunnerID  uint
	Email     string
	FullName  string
	Club      string
	Bib       *int
	CreatedAt time.Time
}

type PackRenderer interface {
	Render(ctx context.Context, race Race, e Entry) ([]byte, error) // ~1-2 s per runner (PDF + GPX)
}

type Mailer interface {
	Send(ctx context.Context, to, subject string, attachment []byte) error
}

type Handler struct {
	Packs  PackRenderer
	Mailer Mailer
}

// CloseEntries handles POST /organiser/races/:id/close
func (h *Handler) CloseEntries(c *gin.Context) {
	raceID, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad race id"})
		return
	}

	db, err := gorm.Open(postgres.Open(os.Getenv("RACES_DSN")), &gorm.Config{})
	if err != nil {
		log.Printf("open races db: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "database unavailable"})
		return
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	ctx := c.Request.Context()

	var race Race
	if err := db.WithContext(ctx).First(&race, raceID).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "race not found"})
		return
	}

	// Bibs are allocated in entry order in one statement.
	err = db.WithContext(ctx).Exec(`
		UPDATE entries e SET bib = n.rn
		  FROM (SELECT id, row_number() OVER (ORDER BY created_at) AS rn
		          FROM entries WHERE race_id = ?) n
		 WHERE e.id = n.id`, race.ID).Error
	if err != nil {
		log.Printf("allocate bibs for race %d: %v", race.ID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not allocate bibs"})
		return
	}

	var entries []Entry
	if err := db.WithContext(ctx).Where("race_id = ?", race.ID).
		Order("bib").Limit(race.EntryCap).Find(&entries).Error; err != nil {
		log.Printf("load entries for race %d: %v", race.ID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load entries"})
		return
	}

	sent := 0
	for _, e := range entries {
		pack, err := h.Packs.Render(ctx, race, e)
		if err != nil {
			log.Printf("render pack for entry %d: %v", e.ID, err)
			continue
		}
		subject := fmt.Sprintf("%s: your race pack (bib %d)", race.Name, *e.Bib)
		if err := h.Mailer.Send(ctx, e.Email, subject, pack); err != nil {
			log.Printf("email pack to entry %d: %v", e.ID, err)
			continue
		}
		sent++
	}

	if err := db.WithContext(ctx).Model(&race).Update("closed_at", time.Now()).Error; err != nil {
		log.Printf("mark race %d closed: %v", race.ID, err)
	}
	c.JSON(http.StatusOK, gin.H{"race_id": race.ID, "entries": len(entries), "packs_sent": sent})
}
