// tournament-api: public API for brackets, match results and the season standings.
// k8s: Deployment tournament-api, replicas: 4, behind the GCP HTTPS load balancer.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/time/rate"
)

type visitor struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}
var (
	mu       sync.Mutex
	visitors = make(map[string]*visitor)
	db       *sql.DB
)

// rateLimit is a token bucket per client IP so one bot can't scrape the brackets.
func rateLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := c.GetHeader("X-Forwarded-For")
		if ip == "" {
			ip = c.Request.RemoteAddr
		}
		ip = strings.TrimSpace(strings.Split(ip, ",")[0])
		mu.Lock()
		v, ok := visitors[ip]
		if !ok {
			v = &visitor{limiter: rate.NewLimiter(5, 20)} // 5 req/s, burst 20
			visitors[ip] = v
		}
		v.lastSeen = time.Now()
		mu.Unlock()
		if !v.limiter.Allow() {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "slow down"})
			return
		}
		c.Next()
	}
}

// evictIdle drops buckets nobody has used for 3 minutes so the map doesn't grow forever.
func evictIdle() {
	for range time.Tick(time.Minute) {
		mu.Lock()
		for ip, v := range visitors {
			if time.Since(v.lastSeen) > 3*time.Minute {
				delete(visitors, ip)
			}
		}
		mu.Unlock()
	}
}

type standing struct {
	TeamID int64  `json:"team_id"`
	Name   string `json:"name"`
	Wins   int    `json:"wins"`
	Losses int    `json:"losses"`
	Points int64  `json:"points"`
}

// standings is shown on the home page and the /standings page.
// matches holds every game ever played incl. open qualifiers (~40M rows).
func standings(c *gin.Context) {
	fail := func(err error) {
		log.Printf("standings: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
	}
	rows, err := db.QueryContext(c.Request.Context(), `
		SELECT t.id, t.name,
		       count(*) FILTER (WHERE m.winner_team_id = t.id)  AS wins,
		       count(*) FILTER (WHERE m.winner_team_id <> t.id) AS losses,
		       sum(CASE WHEN m.team_a_id = t.id THEN m.score_a ELSE m.score_b END) AS points
		FROM teams t
		JOIN matches m ON m.team_a_id = t.id OR m.team_b_id = t.id
		WHERE m.season = $1 AND m.status = 'final'
		GROUP BY t.id, t.name
		ORDER BY wins DESC, points DESC
		LIMIT 100`, c.DefaultQuery("season", os.Getenv("CURRENT_SEASON")))
	if err != nil {
		fail(err)
		return
	}
	defer rows.Close()
	out := make([]standing, 0, 100)
	for rows.Next() {
		var s standing
		if err := rows.Scan(&s.TeamID, &s.Name, &s.Wins, &s.Losses, &s.Points); err != nil {
			fail(err)
			return
		}
		out = append(out, s)
	}
	c.JSON(http.StatusOK, out)
}

func main() {
	var err error
	if db, err = sql.Open("pgx", os.Getenv("DATABASE_URL")); err != nil {
		log.Fatal(err)
	}
	go evictIdle()
	r := gin.New()
	r.Use(gin.Recovery(), rateLimit())
	r.GET("/standings", standings)
	r.GET("/brackets/:id", getBracket)
	log.Fatal(r.Run(":8080"))
}
