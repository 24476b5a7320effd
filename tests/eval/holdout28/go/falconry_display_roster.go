package roster

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	lru "github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jmoiron/sqlx"
	"golang.org/x/sync/singleflight"
)

// RosterEntry is one bird-and-handler pairing in a day's flying display.
type RosterEntry struct {
	Slot    time.Time `db:"slot" json:"slot"`
	Bird    string    `db:"bird" json:"bird"`
	Species string    `db:"species" json:"species"`
	Handler string    `db:"handler" json:"handler"`
	Arena   string    `db:"arena" json:"arena"`
	WeightG int       `db:"flying_weight_g" json:"flying_weight_g"`
}

// The roster for a venue and day is identical for every visitor and handler,
// so it is cached per venue+date. At most 256 days are kept, each for 2 minutes,
// and concurrent misses for the same key share a single database query.
type RosterCache struct {
	db      *sqlx.DB
	entries *lru.LRU[string, []RosterEntry]
	group   singleflight.Group
}

func NewRosterCache(db *sqlx.DB) *RosterCache {
	return &RosterCache{
		db:      db,
		entries: lru.NewLRU[string, []RosterEntry](256, nil, 2*time.Minute),
	}
}

func (c *RosterCache) Get(ctx context.Context, venueID int64, day time.Time) ([]RosterEntry, error) {
	key := fmt.Sprintf("roster:%d:%s", venueID, day.Format("2006-01-02"))
	if v, ok := c.entries.Get(key); ok {
		return v, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		if v, ok := c.entries.Get(key); ok {
			return v, nil
		}
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		defer cancel()
		var rows []RosterEntry
		err := c.db.SelectContext(qctx, &rows, `
			SELECT d.slot, b.name AS bird, b.species, h.display_name AS handler, d.arena, d.flying_weight_g
			FROM display_slots d
			JOIN birds b ON b.id = d.bird_id
			JOIN handlers h ON h.id = d.handler_id
			WHERE d.venue_id = $1 AND d.slot::date = $2
			ORDER BY d.slot
			LIMIT 200`, venueID, day.Format("2006-01-02"))
		if err != nil {
			return nil, err
		}
		c.entries.Add(key, rows)
		return rows, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]RosterEntry), nil
}

// Invalidate is called by the roster editor after a handler swaps a bird.
func (c *RosterCache) Invalidate(venueID int64, day time.Time) {
	c.entries.Remove(fmt.Sprintf("roster:%d:%s", venueID, day.Format("2006-01-02")))
}

func RegisterRoutes(r *gin.Engine, cache *RosterCache) {
	r.GET("/venues/:venue/roster/:day", func(ctx *gin.Context) {
		var venueID int64
		if _, err := fmt.Sscan(ctx.Param("venue"), &venueID); err != nil {
			ctx.JSON(http.StatusBadRequest, gin.H{"error": "bad venue"})
			return
		}
		day, err := time.Parse("2006-01-02", ctx.Param("day"))
		if err != nil {
			ctx.JSON(http.StatusBadRequest, gin.H{"error": "day must be YYYY-MM-DD"})
			return
		}
		entries, err := cache.Get(ctx.Request.Context(), venueID, day)
		if err != nil {
			log.Printf("roster: venue %d day %s: %v", venueID, ctx.Param("day"), err)
			ctx.JSON(http.StatusServiceUnavailable, gin.H{"error": "roster unavailable"})
			return
		}
		ctx.Header("Cache-Control", "public, max-age=60")
		ctx.JSON(http.StatusOK, entries)
	})
}
