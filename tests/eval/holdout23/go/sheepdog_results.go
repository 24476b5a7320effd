package trials

import (
	"context"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
)

// Run is one dog-and-handler run at a sheepdog trial, with the points each
// judge gave per phase (outrun, lift, fetch, drive, pen, shed).
type Run struct {
	ID        int64        `db:"id" json:"id"`
	TrialName string       `db:"trial_name" json:"trial"`
	Handler   string       `db:"handler" json:"handler"`
	Dog       string       `db:"dog" json:"dog"`
	RunAt     time.Time    `db:"run_at" json:"run_at"`
	Total     int          `db:"total" json:"total"`
	Scores    []JudgeScore `db:"-" json:"scores"`
}

type JudgeScore struct {
	Judge  string `db:"judge" json:"judge"`
	Outrun int    `db:"outrun" json:"outrun"`
	Lift   int    `db:"lift" json:"lift"`
	Fetch  int    `db:"fetch" json:"fetch"`
	Drive  int    `db:"drive" json:"drive"`
	Pen    int    `db:"pen" json:"pen"`
	Shed   int    `db:"shed" json:"shed"`
}

// RegisterResultRoutes wires the public results pages used by the
// commentators' tablets and the association website.
func RegisterResultRoutes(r *gin.Engine) {
	r.GET("/api/results/recent", recentRuns)
	r.GET("/api/results/handler/:name", handlerRuns)
}

func openDB(ctx context.Context) (*sqlx.DB, error) {
	return sqlx.ConnectContext(ctx, "postgres", os.Getenv("TRIALS_DATABASE_URL"))
}

func recentRuns(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 10*time.Second)
	defer cancel()

	db, err := openDB(ctx)
	if err != nil {
		log.Printf("results: connect: %v", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "results database unavailable"})
		return
	}
	defer db.Close()

	var runs []Run
	err = db.SelectContext(ctx, &runs, `SELECT r.id, t.name AS trial_name, r.handler, r.dog, r.run_at, r.total FROM runs r JOIN trials t ON t.id = r.trial_id ORDER BY r.run_at DESC`)
	if err != nil {
		log.Printf("results: runs: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load runs"})
		return
	}

	for i := range runs {
		if err := db.SelectContext(ctx, &runs[i].Scores, `SELECT judge, outrun, lift, fetch, drive, pen, shed FROM run_scores WHERE run_id = $1 ORDER BY judge`, runs[i].ID); err != nil {
			log.Printf("results: scores for run %d: %v", runs[i].ID, err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load scores"})
			return
		}
	}
	c.JSON(http.StatusOK, runs)
}

func handlerRuns(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()

	db, err := openDB(ctx)
	if err != nil {
		log.Printf("results: connect: %v", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "results database unavailable"})
		return
	}
	defer db.Close()

	var runs []Run
	err = db.SelectContext(ctx, &runs, `
		SELECT r.id, t.name AS trial_name, r.handler, r.dog, r.run_at, r.total
		  FROM runs r
		  JOIN trials t ON t.id = r.trial_id
		 WHERE r.handler = $1
		 ORDER BY r.run_at DESC
		 LIMIT 50`, c.Param("name"))
	if err != nil {
		log.Printf("results: handler runs: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load runs"})
		return
	}
	c.JSON(http.StatusOK, runs)
}
