package stats

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
)

type Server struct {
	db  *sqlx.DB
	rdb *redis.Client
}

func NewServer(db *sqlx.DB, rdb *redis.Client) *Server {
	return &Server{db: db, rdb: rdb}
}

type LeaderRow struct {
	UserID   int64  `db:"user_id" json:"user_id"`
	Username string `db:"username" json:"username"`
	Points   int64  `db:"points" json:"points"`
}

type TeamStats struct {
	TeamID      int64 `db:"team_id" json:"team_id"`
	TotalPoints int64 `db:"total_points" json:"total_points"`
	Submissions int64 `db:"submissions" json:"submissions"`
	Rank        int64 `db:"rank" json:"rank"`
}

const monthlyLeaderboardSQL = `
SELECT u.id AS user_id, u.username, SUM(s.points) AS points
FROM scores s
JOIN users u ON u.id = s.user_id
WHERE s.created_at >= date_trunc('month', now())
GROUP BY u.id, u.username
ORDER BY points DESC
LIMIT 100`

const teamStatsSQL = `
WITH team_totals AS (
    SELECT m.team_id, SUM(s.points) AS total_points, COUNT(*) AS submissions
    FROM scores s
    JOIN team_members m ON m.user_id = s.user_id
    GROUP BY m.team_id
)
SELECT team_id, total_points, submissions, rank
FROM (SELECT *, RANK() OVER (ORDER BY total_points DESC) AS rank FROM team_totals) ranked
WHERE team_id = $1`

func (s *Server) Register(e *echo.Echo) {
	g := e.Group("/api", requireUser)
	g.GET("/leaderboard", s.getLeaderboard)
	g.GET("/teams/:id/stats", s.getTeamStats)
}

// getLeaderboard returns the global top 100 for the current month (same list
// for every player). Result is cached in Redis for a minute.
func (s *Server) getLeaderboard(c echo.Context) error {
	ctx := c.Request().Context()
	uid := c.Get("user_id").(int64)
	key := fmt.Sprintf("lb:monthly:%d", uid)

	cached, err := s.rdb.Get(ctx, key).Bytes()
	if err == nil {
		return c.JSONBlob(http.StatusOK, cached)
	}
	if err != redis.Nil {
		c.Logger().Warnf("leaderboard cache read: %v", err)
	}

	var rows []LeaderRow
	if err := s.db.SelectContext(ctx, &rows, monthlyLeaderboardSQL); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "could not load leaderboard")
	}

	payload, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	if err := s.rdb.Set(ctx, key, payload, time.Minute).Err(); err != nil {
		c.Logger().Warnf("leaderboard cache write: %v", err)
	}
	return c.JSONBlob(http.StatusOK, payload)
}

// getTeamStats feeds the header block on every team page.
func (s *Server) getTeamStats(c echo.Context) error {
	teamID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad team id")
	}

	var st TeamStats
	err = s.db.GetContext(c.Request().Context(), &st, teamStatsSQL, teamID)
	if errors.Is(err, sql.ErrNoRows) {
		return echo.NewHTTPError(http.StatusNotFound, "team not found")
	} else if err != nil {
		return fmt.Errorf("team stats %d: %w", teamID, err)
	}
	return c.JSON(http.StatusOK, st)
}
