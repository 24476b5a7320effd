package rota

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Community minibus scheme: volunteer drivers take and drop rota slots from
// the phone app. The API runs as 3 replicas on the council's k8s cluster,
// behind the shared ingress.

const takeLimit, takeWindow = 10, time.Minute

var (
	takeMu   sync.Mutex
	takeHits = map[string][]time.Time{}
)

// limitTakes stops a misbehaving client from hammering the take endpoint.
func limitTakes() gin.HandlerFunc {
	return func(c *gin.Context) {
		client := c.GetHeader("X-Forwarded-For")
		if i := strings.IndexByte(client, ','); i >= 0 {
			client = strings.TrimSpace(client[:i])
		}
		if client == "" {
			client = c.Request.RemoteAddr
		}

		now := time.Now()
		takeMu.Lock()
		kept := takeHits[client][:0]
		for _, t := range takeHits[client] {
			if now.Sub(t) < takeWindow {
				kept = append(kept, t)
			}
		}
		if len(kept) >= takeLimit {
			takeHits[client] = kept
			takeMu.Unlock()
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "slow down"})
			return
		}
		takeHits[client] = append(kept, now)
		takeMu.Unlock()
		c.Next()
	}
}

type API struct{ DB *sql.DB }

func (a *API) Register(r *gin.RouterGroup) {
	r.GET("/schemes/:scheme/slots", a.listSlots)
	r.POST("/schemes/:scheme/slots/:slot/take", limitTakes(), a.takeSlot)
}

type slot struct {
	ID       int64     `json:"id"`
	Route    string    `json:"route"`
	StartsAt time.Time `json:"starts_at"`
	DriverID *int64    `json:"driver_id"`
}

func (a *API) listSlots(c *gin.Context) {
	weekStart, err := time.Parse("2006-01-02", c.Query("week"))
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "week must be YYYY-MM-DD"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	rows, err := a.DB.QueryContext(ctx, `
		SELECT id, route_name, starts_at, driver_id
		FROM rota_slots
		WHERE scheme_id = $1 AND starts_at >= $2 AND starts_at < $2 + interval '7 days'
		ORDER BY starts_at
		LIMIT 200`, c.Param("scheme"), weekStart)
	if err != nil {
		log.Printf("list slots: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load rota"})
		return
	}
	defer rows.Close()

	out := []slot{}
	for rows.Next() {
		var s slot
		if err := rows.Scan(&s.ID, &s.Route, &s.StartsAt, &s.DriverID); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load rota"})
			return
		}
		out = append(out, s)
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) takeSlot(c *gin.Context) {
	driverID := c.GetInt64("driver_id") // set by the auth middleware
	slotID, err := strconv.ParseInt(c.Param("slot"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad slot id"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	res, err := a.DB.ExecContext(ctx, `
		UPDATE rota_slots SET driver_id = $1, taken_at = now()
		WHERE id = $2 AND scheme_id = $3 AND driver_id IS NULL`, driverID, slotID, c.Param("scheme"))
	if err != nil {
		log.Printf("take slot %d: %v", slotID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not take slot"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "slot already has a driver"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"slot_id": slotID, "driver_id": driverID})
}
