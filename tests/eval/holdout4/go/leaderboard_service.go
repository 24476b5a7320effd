package leaderboard

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

type Entry struct {
	PlayerID    int64  `json:"player_id"`
	DisplayName string `json:"display_name"`
	Points      int64  `json:"points"`
	Matches     int64  `json:"matches"`
}

type Profile struct {
	PlayerID    int64     `json:"player_id"`
	DisplayName string    `json:"display_name"`
	Rank        string    `json:"rank"`
	LastSeen    time.Time `json:"last_seen"`
}

type Service struct {
	DB    *sql.DB
	Redis *redis.Client
}

// profiles is a local read-through cache so we don't hit Postgres for every profile card.
var (
	profilesMu sync.RWMutex
	profiles   = map[int64]Profile{}
)

// GET /seasons/:season/top -- top 100 of a season, cached in Redis for 30s.
func (s *Service) Top(c *gin.Context) {
	ctx := c.Request.Context()
	season := c.Param("season")
	key := "lb:top100:" + season

	if raw, err := s.Redis.Get(ctx, key).Bytes(); err == nil {
		c.Data(http.StatusOK, "application/json", raw)
		return
	} else if !errors.Is(err, redis.Nil) {
		log.Printf("redis get %s: %v", key, err)
	}

	rows, err := s.DB.QueryContext(ctx, `
		SELECT p.id, p.display_name, SUM(m.points) AS points, COUNT(*) AS matches
		  FROM match_results m
		  JOIN players p ON p.id = m.player_id
		 WHERE m.season_id = $1
		 GROUP BY p.id, p.display_name
		 ORDER BY points DESC
		 LIMIT 100`, season)
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	top := make([]Entry, 0, 100)
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.PlayerID, &e.DisplayName, &e.Points, &e.Matches); err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		top = append(top, e)
	}
	body, _ := json.Marshal(top)
	s.Redis.Set(ctx, key, body, 30*time.Second)
	c.Data(http.StatusOK, "application/json", body)
}

// GET /seasons/:season/rules -- scoring rules and reward tiers of a season (same for all players).
func (s *Service) Rules(c *gin.Context) {
	ctx := c.Request.Context()
	userID := c.GetString("user_id") // set by auth middleware
	key := fmt.Sprintf("season_rules:%s:%s", userID, c.Param("season"))

	if cached, err := s.Redis.Get(ctx, key).Result(); err == nil {
		c.Data(http.StatusOK, "application/json", []byte(cached))
		return
	}
	var rules json.RawMessage
	if err := s.DB.QueryRowContext(ctx, `SELECT rules FROM seasons WHERE id = $1`, c.Param("season")).Scan(&rules); err != nil {
		c.AbortWithStatus(http.StatusNotFound)
		return
	}
	s.Redis.Set(ctx, key, []byte(rules), time.Hour)
	c.Data(http.StatusOK, "application/json", rules)
}

func (s *Service) PlayerProfile(c *gin.Context) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	profilesMu.RLock()
	p, ok := profiles[id]
	profilesMu.RUnlock()
	if !ok {
		err := s.DB.QueryRowContext(c.Request.Context(),
			`SELECT id, display_name, rank, last_seen FROM players WHERE id = $1`, id).
			Scan(&p.PlayerID, &p.DisplayName, &p.Rank, &p.LastSeen)
		if err != nil {
			c.AbortWithStatus(http.StatusNotFound)
			return
		}
		profilesMu.Lock()
		profiles[id] = p
		profilesMu.Unlock()
	}
	c.JSON(http.StatusOK, p)
}
