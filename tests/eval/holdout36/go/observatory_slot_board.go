package main

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// slotBoard is what the "Tonight at the dome" page shows: every telescope
// slot for the night with who has it, plus moon details for planning.
type slotBoard struct {
	Night     string      `json:"night"`
	MoonIllum float64     `json:"moon_illumination"`
	Slots     []slotEntry `json:"slots"`
	BuiltAt   time.Time   `json:"built_at"`
}

type slotEntry struct {
	ID        int64  `json:"id"`
	Telescope string `json:"telescope"`
	StartsAt  string `json:"starts_at"`
	Observer  string `json:"observer,omitempty"`
}

const boardTTL = 2 * time.Minute

var (
	boardMu    sync.RWMutex
	boardCache = make(map[string]slotBoard)
)

type api struct {
	db *sql.DB
}

func (a *api) register(r *gin.Engine) {
	r.GET("/api/nights/:night/board", a.requireMember, a.nightBoard)
}

func (a *api) nightBoard(c *gin.Context) {
	night := c.Param("night")
	if _, err := time.Parse("2006-01-02", night); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "night must be YYYY-MM-DD"})
		return
	}
	memberID := c.GetString("memberID")
	key := "board:" + memberID + ":" + night

	boardMu.RLock()
	cached, ok := boardCache[key]
	boardMu.RUnlock()
	if ok && time.Since(cached.BuiltAt) < boardTTL {
		c.JSON(http.StatusOK, cached)
		return
	}

	board, err := a.loadBoard(c.Request.Context(), night)
	if err != nil {
		log.Printf("observatory: board for %s: %v", night, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load the slot board"})
		return
	}
	boardMu.Lock()
	boardCache[key] = board
	boardMu.Unlock()
	c.JSON(http.StatusOK, board)
}

func (a *api) loadBoard(ctx context.Context, night string) (slotBoard, error) {
	b := slotBoard{Night: night, BuiltAt: time.Now()}
	rows, err := a.db.QueryContext(ctx, `
		SELECT s.id, t.name, to_char(s.starts_at, 'HH24:MI'), coalesce(m.display_name, '')
		  FROM telescope_slots s
		  JOIN telescopes t ON t.id = s.telescope_id
		  LEFT JOIN members m ON m.id = s.member_id
		 WHERE s.night = $1
		 ORDER BY s.starts_at, t.name
		 LIMIT 200`, night)
	if err != nil {
		return b, err
	}
	defer rows.Close()
	for rows.Next() {
		var e slotEntry
		if err := rows.Scan(&e.ID, &e.Telescope, &e.StartsAt, &e.Observer); err != nil {
			return b, err
		}
		b.Slots = append(b.Slots, e)
	}
	if err := rows.Err(); err != nil {
		return b, err
	}
	t, _ := time.Parse("2006-01-02", night)
	b.MoonIllum = moonIllumination(t.Add(22 * time.Hour))
	return b, nil
}
