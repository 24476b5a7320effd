package main

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// dive-log API for the club app. Runs as 3 replicas behind the ALB
// (deploy/dive-api.yaml); the ALB appends the caller to X-Forwarded-For.

type visitor struct {
	tokens   float64
	lastSeen time.Time
}

const (
	burst        = 20
	refillPerSec = 0.5
)

var (
	visitorsMu sync.Mutex
	visitors   = make(map[string]*visitor)
)

func clientKey(c *gin.Context) string {
	if fwd := c.GetHeader("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return c.ClientIP()
}

// rateLimit is a token bucket per caller: 20 requests burst, one every two seconds after that.
func rateLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		key := clientKey(c)
		now := time.Now()

		visitorsMu.Lock()
		v, ok := visitors[key]
		if !ok {
			v = &visitor{tokens: burst, lastSeen: now}
			visitors[key] = v
		}
		v.tokens += now.Sub(v.lastSeen).Seconds() * refillPerSec
		if v.tokens > burst {
			v.tokens = burst
		}
		v.lastSeen = now
		allowed := v.tokens >= 1
		if allowed {
			v.tokens--
		}
		visitorsMu.Unlock()

		if !allowed {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "slow down"})
			return
		}
		c.Next()
	}
}

// sweepVisitors drops buckets that have been idle for ten minutes.
func sweepVisitors() {
	for range time.Tick(time.Minute) {
		visitorsMu.Lock()
		for k, v := range visitors {
			if time.Since(v.lastSeen) > 10*time.Minute {
				delete(visitors, k)
			}
		}
		visitorsMu.Unlock()
	}
}

type diveLog struct {
	SiteID    int64     `json:"site_id" binding:"required"`
	DiverID   int64     `json:"diver_id" binding:"required"`
	MaxDepthM float64   `json:"max_depth_m" binding:"required,gt=0,lt=130"`
	BottomMin int       `json:"bottom_min" binding:"required,gt=0"`
	VisM      int       `json:"visibility_m"`
	WaterTemp float64   `json:"water_temp_c"`
	DivedAt   time.Time `json:"dived_at" binding:"required"`
}

func main() {
	db, err := sql.Open("pgx", "postgres://dive@db:5432/dives")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(15)

	go sweepVisitors()

	r := gin.Default()
	r.Use(rateLimit())
	r.POST("/dive-logs", func(c *gin.Context) {
		var in diveLog
		if err := c.ShouldBindJSON(&in); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
		defer cancel()
		var id int64
		err := db.QueryRowContext(ctx,
			`INSERT INTO dive_logs (site_id, diver_id, max_depth_m, bottom_min, visibility_m, water_temp_c, dived_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			in.SiteID, in.DiverID, in.MaxDepthM, in.BottomMin, in.VisM, in.WaterTemp, in.DivedAt).Scan(&id)
		if err != nil {
			log.Printf("insert dive log: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not save dive"})
			return
		}
		c.JSON(http.StatusCreated, gin.H{"id": id})
	})
	log.Fatal(r.Run(":8080"))
}
