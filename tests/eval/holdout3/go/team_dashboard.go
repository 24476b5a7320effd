package stats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"strconv"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

const (
	globalBoardKey = "board:global:v3"
	boardTTL       = 2 * time.Minute
)

type DashboardHandler struct {
	db    *sqlx.DB
	rdb   *redis.Client
	group singleflight.Group
	// small per-process cache of team display names; bounded
	names *lru.Cache[int64, string]
}

func NewDashboardHandler(db *sqlx.DB, rdb *redis.Client) (*DashboardHandler, error) {
	names, err := lru.New[int64, string](2048)
	if err != nil {
		return nil, err
	}
	return &DashboardHandler{db: db, rdb: rdb, names: names}, nil
}

type BoardEntry struct {
	TeamID int64  `db:"team_id" json:"team_id"`
	Name   string `db:"name" json:"name"`
	Points int64  `db:"points" json:"points"`
}

// GlobalBoard serves GET /api/board. Everyone sees the same board, so there is
// a single shared cache key; concurrent misses collapse into one DB query.
func (h *DashboardHandler) GlobalBoard(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 4*time.Second)
	defer cancel()

	if b, err := h.rdb.Get(ctx, globalBoardKey).Bytes(); err == nil {
		return c.JSONBlob(http.StatusOK, b)
	} else if !errors.Is(err, redis.Nil) {
		c.Logger().Warnf("board cache read: %v", err)
	}

	v, err, _ := h.group.Do(globalBoardKey, func() (any, error) {
		// Detached context: one caller cancelling must not fail the shared load.
		qctx, qcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer qcancel()

		var rows []BoardEntry
		if err := h.db.SelectContext(qctx, &rows, `
			SELECT t.id AS team_id, t.name, tp.points
			FROM team_points_mv tp JOIN teams t ON t.id = tp.team_id
			ORDER BY tp.points DESC
			LIMIT 50`); err != nil {
			return nil, fmt.Errorf("load board: %w", err)
		}
		b, err := json.Marshal(rows)
		if err != nil {
			return nil, err
		}
		ttl := boardTTL + time.Duration(rand.Intn(20))*time.Second // spread expiries
		if err := h.rdb.Set(qctx, globalBoardKey, b, ttl).Err(); err != nil {
			c.Logger().Warnf("board cache write: %v", err)
		}
		return b, nil
	})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, v.([]byte))
}

// TeamName is used when rendering notifications; names rarely change.
func (h *DashboardHandler) TeamName(ctx context.Context, teamID int64) (string, error) {
	if n, ok := h.names.Get(teamID); ok {
		return n, nil
	}
	var name string
	if err := h.db.GetContext(ctx, &name, `SELECT name FROM teams WHERE id = $1`, teamID); err != nil {
		return "", fmt.Errorf("team %d: %w", teamID, err)
	}
	h.names.Add(teamID, name)
	return name, nil
}

func (h *DashboardHandler) TeamNameHandler(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad id")
	}
	name, err := h.TeamName(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"name": name})
}
