// songqueue: tablets on each table in our karaoke bars post song requests here.
// Runs on Fly.io, 4 machines in ams (fly scale count 4), Postgres on Neon.
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
)

type bucket struct {
	tokens float64
	last   time.Time
}

// 6 song requests per minute per client so one table can't hog the mic
var (
	limMu   sync.Mutex
	buckets = make(map[string]*bucket)
)

func rateLimit() gin.HandlerFunc {
	const perSec, burst = 0.1, 6.0
	return func(c *gin.Context) {
		ip := c.GetHeader("X-Forwarded-For")
		if ip == "" {
			ip = c.ClientIP()
		}
		ip = strings.TrimSpace(strings.Split(ip, ",")[0])

		limMu.Lock()
		b, ok := buckets[ip]
		if !ok {
			b = &bucket{tokens: burst, last: time.Now()}
			buckets[ip] = b
		}
		now := time.Now()
		b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*perSec)
		b.last = now
		allowed := b.tokens >= 1
		if allowed {
			b.tokens--
		}
		limMu.Unlock()

		if !allowed {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "slow down, superstar"})
			return
		}
		c.Next()
	}
}

// drop idle buckets so the map doesn't grow forever
func sweepBuckets() {
	for range time.Tick(time.Minute) {
		limMu.Lock()
		for k, b := range buckets {
			if time.Since(b.last) > 5*time.Minute {
				delete(buckets, k)
			}
		}
		limMu.Unlock()
	}
}

func openDB() (*sql.DB, error) {
	return sql.Open("pgx", os.Getenv("DATABASE_URL"))
}

type songReq struct {
	RoomID string `json:"room_id" binding:"required"`
	Table  int    `json:"table" binding:"required"`
	Song   string `json:"song_id" binding:"required"`
	Singer string `json:"singer"`
}

func queueSong(c *gin.Context) {
	var req songReq
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(400, gin.H{"error": err.Error()})
		return
	}
	db, err := openDB()
	if err != nil {
		c.JSON(500, gin.H{"error": "db"})
		return
	}
	defer db.Close()

	var id int64
	err = db.QueryRowContext(c, `INSERT INTO song_queue (room_id, table_no, song_id, singer)
		VALUES ($1, $2, $3, $4) RETURNING id`, req.RoomID, req.Table, req.Song, req.Singer).Scan(&id)
	if err != nil {
		log.Println("queue insert:", err)
		c.JSON(500, gin.H{"error": "db"})
		return
	}
	c.JSON(201, gin.H{"id": id})
}

func roomQueue(c *gin.Context) {
	db, err := openDB()
	if err != nil {
		c.JSON(500, gin.H{"error": "db"})
		return
	}
	defer db.Close()
	rows, err := db.QueryContext(c, `SELECT id, table_no, song_id, singer FROM song_queue
		WHERE room_id = $1 AND played_at IS NULL ORDER BY id LIMIT 50`, c.Param("room"))
	if err != nil {
		c.JSON(500, gin.H{"error": "db"})
		return
	}
	defer rows.Close()
	out := []gin.H{}
	for rows.Next() {
		var id int64
		var table int
		var song, singer string
		if err := rows.Scan(&id, &table, &song, &singer); err != nil {
			c.JSON(500, gin.H{"error": "db"})
			return
		}
		out = append(out, gin.H{"id": id, "table": table, "song": song, "singer": singer})
	}
	c.JSON(200, out)
}

func main() {
	go sweepBuckets()
	r := gin.Default()
	r.POST("/queue", rateLimit(), queueSong)
	r.GET("/rooms/:room/queue", roomQueue)
	log.Fatal(r.Run(":" + os.Getenv("PORT")))
}
