package darts

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
)

type Fixture struct {
	ID       int64     `db:"id" json:"id"`
	Week     int       `db:"week" json:"week"`
	HomeTeam string    `db:"home_team" json:"home_team"`
	AwayTeam string    `db:"away_team" json:"away_team"`
	Venue    string    `db:"venue" json:"venue"`
	StartsAt time.Time `db:"starts_at" json:"starts_at"`
}

type MatchResult struct {
	ID        int64     `db:"id" json:"id"`
	HomeTeam  string    `db:"home_team" json:"home_team"`
	AwayTeam  string    `db:"away_team" json:"away_team"`
	HomeLegs  int       `db:"home_legs" json:"home_legs"`
	AwayLegs  int       `db:"away_legs" json:"away_legs"`
	HighCheck int       `db:"high_checkout" json:"high_checkout"`
	PlayedAt  time.Time `db:"played_at" json:"played_at"`
}

type LeagueAPI struct {
	db    *sqlx.DB
	redis *redis.Client
}

func (a *LeagueAPI) Register(r *gin.RouterGroup) {
	r.GET("/leagues/:leagueID/fixtures/:week", a.weekFixtures)
	r.GET("/leagues/:leagueID/results", a.results)
}

// weekFixtures is hit by the team captains' app every time it opens, so the
// fixture list is kept in Redis for a few minutes.
func (a *LeagueAPI) weekFixtures(c *gin.Context) {
	leagueID := c.Param("leagueID")
	week := c.Param("week")
	userID := c.GetInt64("userID") // set by the auth middleware

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	key := fmt.Sprintf("fixtures:%s:%s:user:%d", leagueID, week, userID)
	if cached, err := a.redis.Get(ctx, key).Bytes(); err == nil {
		c.Data(http.StatusOK, "application/json", cached)
		return
	} else if err != redis.Nil {
		log.Printf("darts: redis get %s: %v", key, err)
	}

	var fixtures []Fixture
	err := a.db.SelectContext(ctx, &fixtures,
		`SELECT f.id, f.week, h.name AS home_team, aw.name AS away_team, v.name AS venue, f.starts_at
		   FROM fixtures f
		   JOIN teams h ON h.id = f.home_team_id
		   JOIN teams aw ON aw.id = f.away_team_id
		   JOIN venues v ON v.id = f.venue_id
		  WHERE f.league_id = $1 AND f.week = $2
		  ORDER BY f.starts_at LIMIT 40`, leagueID, week)
	if err != nil {
		log.Printf("darts: fixtures: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load fixtures"})
		return
	}

	body, err := json.Marshal(fixtures)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "encode failed"})
		return
	}
	if err := a.redis.Set(ctx, key, body, 5*time.Minute).Err(); err != nil {
		log.Printf("darts: redis set %s: %v", key, err)
	}
	c.Data(http.StatusOK, "application/json", body)
}

// results feeds the "Results" tab, newest first.
func (a *LeagueAPI) results(c *gin.Context) {
	leagueID := c.Param("leagueID")

	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()

	var out []MatchResult
	err := a.db.SelectContext(ctx, &out,
		`SELECT m.id, h.name AS home_team, aw.name AS away_team, m.home_legs, m.away_legs, m.high_checkout, m.played_at
		   FROM match_results m
		   JOIN teams h ON h.id = m.home_team_id
		   JOIN teams aw ON aw.id = m.away_team_id
		  WHERE m.league_id = $1
		  ORDER BY m.played_at DESC`, leagueID)
	if err != nil {
		log.Printf("darts: results: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load results"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"league_id": leagueID, "results": out})
}
