package tournament

// standings endpoint for the live tournament page.
// open events run 300-400 players; the spectator page polls this every 10s
// during rounds.

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"sync"

	"github.com/gin-gonic/gin"
)

type Standing struct {
	Rank     int     `json:"rank"`
	PlayerID int64   `json:"player_id"`
	Name     string  `json:"name"`
	Rating   int     `json:"rating"`
	Points   float64 `json:"points"`
	Buchholz float64 `json:"buchholz"`
	Games    int     `json:"games"`
}

type standingsEntry struct {
	rows []Standing
	at   time.Time
}

var standingsCache sync.Map // string -> standingsEntry

const standingsTTL = 30 * time.Second

func StandingsHandler(db *sql.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		tid, err := strconv.ParseInt(c.Param("tid"), 10, 64)
		if err != nil {
			c.AbortWithStatus(http.StatusBadRequest)
			return
		}
		uid := c.GetInt64("uid")
		key := fmt.Sprintf("standings:%d:%d", uid, tid)

		if v, ok := standingsCache.Load(key); ok {
			e := v.(standingsEntry)
			if time.Since(e.at) < standingsTTL {
				c.JSON(http.StatusOK, e.rows)
				return
			}
		}

		rows, err := computeStandings(db, tid)
		if err != nil {
			log.Println("standings:", err)
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		standingsCache.Store(key, standingsEntry{rows: rows, at: time.Now()})
		c.JSON(http.StatusOK, rows)
	}
}

// computeStandings: score + Buchholz (sum of opponents' scores) over every
// game of the tournament.
func computeStandings(db *sql.DB, tid int64) ([]Standing, error) {
	rs, err := db.Query(`
		WITH results AS (
		  SELECT white_id AS player_id, black_id AS opp_id,
		         CASE result WHEN '1-0' THEN 1.0 WHEN '1/2' THEN 0.5 ELSE 0 END AS pts
		    FROM games WHERE tournament_id = $1 AND result IS NOT NULL
		  UNION ALL
		  SELECT black_id, white_id,
		         CASE result WHEN '0-1' THEN 1.0 WHEN '1/2' THEN 0.5 ELSE 0 END
		    FROM games WHERE tournament_id = $1 AND result IS NOT NULL
		), score AS (
		  SELECT player_id, sum(pts) AS points, count(*) AS games
		    FROM results GROUP BY player_id
		)
		SELECT p.id, p.name, p.rating, s.points, s.games,
		       coalesce(sum(os.points), 0) AS buchholz
		  FROM score s
		  JOIN players p ON p.id = s.player_id
		  JOIN results r ON r.player_id = s.player_id
		  LEFT JOIN score os ON os.player_id = r.opp_id
		 GROUP BY p.id, p.name, p.rating, s.points, s.games
		 ORDER BY s.points DESC, buchholz DESC, p.rating DESC`, tid)
	if err != nil {
		return nil, err
	}
	defer rs.Close()

	var out []Standing
	for rs.Next() {
		var s Standing
		if err := rs.Scan(&s.PlayerID, &s.Name, &s.Rating, &s.Points, &s.Games, &s.Buchholz); err != nil {
			return nil, err
		}
		s.Rank = len(out) + 1
		out = append(out, s)
	}
	return out, rs.Err()
}
