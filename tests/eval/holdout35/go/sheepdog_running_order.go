package trials

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
)

type Run struct {
	Slot      int       `db:"slot" json:"slot"`
	DogName   string    `db:"dog_name" json:"dog_name"`
	HandlerID int64     `db:"handler_id" json:"-"`
	Handler   string    `db:"-" json:"handler"`
	County    string    `db:"-" json:"county"`
	StartsAt  time.Time `db:"starts_at" json:"starts_at"`
}

type cachedOrder struct {
	runs    []Run
	builtAt time.Time
}

// The commentary box, the scoreboard and the public page all poll the
// running order every few seconds on trial days, so keep rendered orders
// around instead of rebuilding them on each poll.
var (
	orderMu    sync.RWMutex
	orderCache = make(map[string]cachedOrder)
)

const orderFreshFor = 20 * time.Second

type RunningOrderAPI struct {
	DB *sqlx.DB
}

func (a *RunningOrderAPI) Register(r *gin.Engine) {
	r.GET("/trials/:trialID/classes/:class/running-order", a.get)
}

func (a *RunningOrderAPI) get(c *gin.Context) {
	trialID := c.Param("trialID")
	class := c.Param("class") // novice, open, brace ...
	day := c.DefaultQuery("day", time.Now().Format("2006-01-02"))
	key := fmt.Sprintf("%s:%s:%s", trialID, class, day)

	orderMu.RLock()
	hit, ok := orderCache[key]
	orderMu.RUnlock()
	if ok && time.Since(hit.builtAt) < orderFreshFor {
		c.JSON(http.StatusOK, gin.H{"runs": hit.runs, "cached": true})
		return
	}

	runs, err := a.build(c, trialID, class, day)
	if err != nil {
		c.Error(err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load running order"})
		return
	}

	orderMu.Lock()
	orderCache[key] = cachedOrder{runs: runs, builtAt: time.Now()}
	orderMu.Unlock()

	c.JSON(http.StatusOK, gin.H{"runs": runs, "cached": false})
}

func (a *RunningOrderAPI) build(c *gin.Context, trialID, class, day string) ([]Run, error) {
	ctx := c.Request.Context()

	var runs []Run
	err := a.DB.SelectContext(ctx, &runs, `
		SELECT r.slot, d.name AS dog_name, d.handler_id, r.starts_at
		  FROM trial_runs r
		  JOIN dogs d ON d.id = r.dog_id
		 WHERE r.trial_id = $1 AND r.class = $2 AND r.run_date = $3
		 ORDER BY r.slot
		 LIMIT 300`, trialID, class, day)
	if err != nil {
		return nil, fmt.Errorf("running order %s/%s: %w", trialID, class, err)
	}

	// Handler names change (married names, new farms) so look them up fresh.
	for i := range runs {
		var h struct {
			Name   string `db:"name"`
			County string `db:"county"`
		}
		if err := a.DB.GetContext(ctx, &h, `SELECT name, county FROM handlers WHERE id = $1`, runs[i].HandlerID); err != nil {
			return nil, fmt.Errorf("handler %d: %w", runs[i].HandlerID, err)
		}
		runs[i].Handler = h.Name
		runs[i].County = h.County
	}
	return runs, nil
}
