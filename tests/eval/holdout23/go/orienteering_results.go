package results

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	lru "github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"golang.org/x/sync/singleflight"
)

// Standing is one line on an orienteering event's live results board.
type Standing struct {
	FinishID int64  `db:"finish_id" json:"finish_id"`
	Course   string `db:"course" json:"course"`
	Runner   string `db:"runner" json:"runner"`
	Club     string `db:"club" json:"club"`
	Elapsed  int    `db:"elapsed_s" json:"elapsed_s"`
	Position int    `db:"pos" json:"position"`
}

type Split struct {
	FinishID int64 `db:"finish_id" json:"-"`
	Control  int   `db:"control_code" json:"control"`
	AtSecond int   `db:"at_s" json:"at_s"`
}

type API struct {
	db     *sqlx.DB
	log    *slog.Logger
	boards *lru.LRU[int64, []Standing]
	flight singleflight.Group
}

func NewAPI(db *sqlx.DB, log *slog.Logger) *API {
	// Boards are the same for every viewer of an event; keep the busiest
	// events for 20 seconds so the finish-tent screens stay fresh.
	return &API{db: db, log: log, boards: lru.NewLRU[int64, []Standing](200, nil, 20*time.Second)}
}

func (a *API) Board(c *gin.Context) {
	eventID, err := strconv.ParseInt(c.Param("eventID"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad event id"})
		return
	}
	if board, ok := a.boards.Get(eventID); ok {
		c.JSON(http.StatusOK, board)
		return
	}

	v, err, _ := a.flight.Do(strconv.FormatInt(eventID, 10), func() (any, error) {
		if board, ok := a.boards.Get(eventID); ok {
			return board, nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var board []Standing
		err := a.db.SelectContext(ctx, &board, `
			SELECT f.id AS finish_id, f.course, f.runner, f.club, f.elapsed_s,
				   rank() OVER (PARTITION BY f.course ORDER BY f.elapsed_s) AS pos
			  FROM finishes f
			 WHERE f.event_id = $1 AND f.status = 'OK'
			 ORDER BY f.course, f.elapsed_s
			 LIMIT 1000`, eventID)
		if err != nil {
			return nil, err
		}
		a.boards.Add(eventID, board)
		return board, nil
	})
	if err != nil {
		a.log.Error("results board", "event", eventID, "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "results unavailable"})
		return
	}
	c.JSON(http.StatusOK, v)
}

// CourseSplits returns one page of a course's finishers with their split times.
func (a *API) CourseSplits(c *gin.Context) {
	eventID, err := strconv.ParseInt(c.Param("eventID"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad event id"})
		return
	}
	offset, err := strconv.Atoi(c.DefaultQuery("offset", "0"))
	if err != nil || offset < 0 {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad offset"})
		return
	}
	limit, err := strconv.Atoi(c.DefaultQuery("limit", "25"))
	if err != nil || limit <= 0 || limit > 100 {
		limit = 25
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 4*time.Second)
	defer cancel()

	var page []Standing
	if err := a.db.SelectContext(ctx, &page, `SELECT id AS finish_id, course, runner, club, elapsed_s, 0 AS pos FROM finishes WHERE event_id = $1 AND course = $2 ORDER BY elapsed_s, id LIMIT $3 OFFSET $4`, eventID, c.Param("course"), limit, offset); err != nil {
		a.log.Error("course page", "event", eventID, "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "results unavailable"})
		return
	}
	ids := make([]int64, len(page))
	for i, s := range page {
		ids[i] = s.FinishID
	}

	// One round trip for all splits on the page.
	var splits []Split
	if err := a.db.SelectContext(ctx, &splits, `SELECT finish_id, control_code, at_s FROM splits WHERE finish_id = ANY($1) ORDER BY finish_id, at_s`, pq.Array(ids)); err != nil {
		a.log.Error("course splits", "event", eventID, "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "results unavailable"})
		return
	}
	byFinish := make(map[int64][]Split, len(page))
	for _, s := range splits {
		byFinish[s.FinishID] = append(byFinish[s.FinishID], s)
	}
	c.JSON(http.StatusOK, gin.H{"finishers": page, "splits": byFinish, "next_offset": offset + len(page)})
}
