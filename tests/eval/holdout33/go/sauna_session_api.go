package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/lib/pq"
)

// Harbour sauna booking API. Deployed on the co-op's k3s cluster with
// replicas: 3 behind Traefik, so any pod may serve a given request.

const (
	bookingWindow = time.Minute
	maxBookings   = 5
)

var (
	limiterMu sync.Mutex
	recent    = make(map[string][]time.Time)
)

// limitBookings stops scripts from grabbing every Sunday-morning session.
func limitBookings() gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := c.GetHeader("X-Forwarded-For")
		if ip == "" {
			ip = c.ClientIP()
		}
		now := time.Now()

		limiterMu.Lock()
		kept := recent[ip][:0]
		for _, t := range recent[ip] {
			if now.Sub(t) < bookingWindow {
				kept = append(kept, t)
			}
		}
		if len(kept) >= maxBookings {
			recent[ip] = kept
			limiterMu.Unlock()
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "too many booking attempts, try again shortly"})
			return
		}
		recent[ip] = append(kept, now)
		limiterMu.Unlock()

		c.Next()
	}
}

type bookingBody struct {
	MemberID int64 `json:"member_id" binding:"required"`
}

func bookSession(db *sql.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		var body bookingBody
		if err := c.ShouldBindJSON(&body); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		sessionID := c.Param("id")

		tx, err := db.BeginTx(c.Request.Context(), nil)
		if err != nil {
			log.Printf("begin tx: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "database unavailable"})
			return
		}
		defer tx.Rollback()

		res, err := tx.ExecContext(c.Request.Context(),
			`UPDATE sauna_sessions SET spaces_left = spaces_left - 1
			 WHERE id = $1 AND spaces_left > 0 AND starts_at > now()`, sessionID)
		if err != nil {
			log.Printf("reserve space: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not reserve"})
			return
		}
		if n, _ := res.RowsAffected(); n == 0 {
			c.JSON(http.StatusConflict, gin.H{"error": "session full or already started"})
			return
		}
		if _, err := tx.ExecContext(c.Request.Context(),
			`INSERT INTO sauna_bookings (session_id, member_id) VALUES ($1, $2)`,
			sessionID, body.MemberID); err != nil {
			log.Printf("insert booking: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not reserve"})
			return
		}
		if err := tx.Commit(); err != nil {
			log.Printf("commit: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not reserve"})
			return
		}
		c.JSON(http.StatusCreated, gin.H{"session_id": sessionID, "member_id": body.MemberID})
	}
}

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(10)

	r := gin.Default()
	r.POST("/sessions/:id/bookings", limitBookings(), bookSession(db))
	log.Fatal(r.Run(":8080"))
}
