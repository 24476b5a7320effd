// Leaderboard API for fantasy leagues. Standings are cached in Redis for 60s to
// keep DB load low on match days; team metadata is memoised in-process.
package fantasy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"
)

type Standing struct {
	Rank     int     `db:"rank" json:"rank"`
	TeamID   int64   `db:"team_id" json:"team_id"`
	TeamName string  `db:"-" json:"team_name"`
	Points   float64 `db:"points" json:"points"`
}

type teamInfo struct {
	Name    string
	LogoURL string
}

var (
	teamMu    sync.RWMutex
	teamCache = map[int64]teamInfo{}
)

type LeaderboardHandler struct {
	db  *sqlx.DB
	rdb *redis.Client
}

// Get serves GET /leagues/:leagueID/leaderboard?week=N ("current" by default).
func (h *LeaderboardHandler) Get(c *gin.Context) {
	ctx := c.Request.Context()
	leagueID := c.Param("leagueID")
	userID := c.GetInt64("userID") // set by auth middleware
	week := c.DefaultQuery("week", "current")

	cacheKey := fmt.Sprintf("leaderboard:%s:%s:user:%d", leagueID, week, userID)
	if cached, err := h.rdb.Get(ctx, cacheKey).Bytes(); err == nil {
		c.Data(http.StatusOK, "application/json", cached)
		return
	}

	standings, err := h.computeStandings(ctx, leagueID, week)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load leaderboard"})
		return
	}
	if err := h.fillTeamNames(ctx, standings); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load teams"})
		return
	}

	body, _ := json.Marshal(standings)
	h.rdb.Set(ctx, cacheKey, body, 60*time.Second)
	c.Data(http.StatusOK, "application/json", body)
}

// computeStandings sums fantasy points of every rostered player per team.
func (h *LeaderboardHandler) computeStandings(ctx context.Context, leagueID, week string) ([]Standing, error) {
	var out []Standing
	err := h.db.SelectContext(ctx, &out, `
		SELECT rank() OVER (ORDER BY sum(ps.fantasy_points) DESC) AS rank,
		       r.team_id,
		       sum(ps.fantasy_points) AS points
		  FROM rosters r
		  JOIN player_stats ps ON ps.player_id = r.player_id AND ps.week = r.week
		 WHERE r.league_id = $1
		   AND ($2 = 'current' OR r.week <= $2::int)
		 GROUP BY r.team_id
		 ORDER BY points DESC`, leagueID, week)
	return out, err
}

// fillTeamNames resolves team names, hitting the DB once for all unknown teams.
func (h *LeaderboardHandler) fillTeamNames(ctx context.Context, standings []Standing) error {
	var missing []int64
	teamMu.RLock()
	for _, s := range standings {
		if _, ok := teamCache[s.TeamID]; !ok {
			missing = append(missing, s.TeamID)
		}
	}
	teamMu.RUnlock()
	if len(missing) > 0 {
		rows, err := h.db.QueryxContext(ctx,
			`SELECT id, name, logo_url FROM teams WHERE id = ANY($1)`, pq.Array(missing))
		if err != nil {
			return err
		}
		defer rows.Close()
		teamMu.Lock()
		for rows.Next() {
			var id int64
			var t teamInfo
			if err := rows.Scan(&id, &t.Name, &t.LogoURL); err != nil {
				teamMu.Unlock()
				return err
			}
			teamCache[id] = t
		}
		teamMu.Unlock()
	}
	teamMu.RLock()
	defer teamMu.RUnlock()
	for i := range standings {
		standings[i].TeamName = teamCache[standings[i].TeamID].Name
	}
	return nil
}
