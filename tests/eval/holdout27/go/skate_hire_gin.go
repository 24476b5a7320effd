package rink

import (
	"database/sql"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Skate hire counter API for the ice rink kiosks and the public booking page.
// Runs as 3 replicas behind the rink's nginx ingress (see deploy/rink-api.yaml).

type hireLimiter struct {
	mu     sync.Mutex
	hits   map[string][]time.Time
	limit  int
	window time.Duration
}

var limiter = &hireLimiter{hits: make(map[string][]time.Time), limit: 10, window: time.Minute}

func (l *hireLimiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	kept := l.hits[key][:0]
	for _, t := range l.hits[key] {
		if now.Sub(t) < l.window {
			kept = append(kept, t)
		}
	}
	if len(kept) >= l.limit {
		l.hits[key] = kept
		return false
	}
	l.hits[key] = append(kept, now)
	return true
}

// clientKey picks the visitor's address so kiosk traffic and web traffic are
// limited per person rather than per proxy.
func clientKey(c *gin.Context) string {
	if fwd := c.GetHeader("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return c.ClientIP()
}

func RateLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !limiter.allow(clientKey(c)) {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "too many hire requests, try again shortly"})
			return
		}
		c.Next()
	}
}

type HireAPI struct {
	DB *sql.DB
}

type hireRequest struct {
	RinkID   int64  `json:"rink_id" binding:"required"`
	Size     string `json:"size" binding:"required"`
	Session  int64  `json:"session_id" binding:"required"`
	SkaterID int64  `json:"skater_id" binding:"required"`
}

func (a *HireAPI) Register(r *gin.Engine) {
	g := r.Group("/hire", RateLimit())
	g.POST("", a.hireSkates)
}

func (a *HireAPI) hireSkates(c *gin.Context) {
	var req hireRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	ctx := c.Request.Context()
	tx, err := a.DB.BeginTx(ctx, nil)
	if err != nil {
		c.Error(err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "database unavailable"})
		return
	}
	defer tx.Rollback()

	// Take one pair off the shelf only if there is one left.
	res, err := tx.ExecContext(ctx, `
		UPDATE skate_stock SET on_shelf = on_shelf - 1
		WHERE rink_id = $1 AND size_code = $2 AND on_shelf > 0`, req.RinkID, req.Size)
	if err != nil {
		c.Error(err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not reserve skates"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "no skates left in that size"})
		return
	}
	var hireID int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO skate_hires (rink_id, size_code, session_id, skater_id, status)
		VALUES ($1, $2, $3, $4, 'out') RETURNING id`,
		req.RinkID, req.Size, req.Session, req.SkaterID).Scan(&hireID); err != nil {
		c.Error(err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not record hire"})
		return
	}
	if err := tx.Commit(); err != nil {
		c.Error(err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not record hire"})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"hire_id": hireID})
}
