// merch-api: tour merch store (pre-orders + venue pickup).
// Deployed on GKE, 4 replicas (deploy/merch-api.yaml), HTTPS LB in front.
package main

import (
	"database/sql"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/lib/pq"
	gocache "github.com/patrickmn/go-cache"
	"golang.org/x/time/rate"
)

type server struct {
	db    *sql.DB
	cache *gocache.Cache
}

var (
	limMu    sync.Mutex
	limiters = map[string]*rate.Limiter{}
)

// perIP allows 5 req/s with a burst of 10 per client during drops.
func perIP() gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := c.GetHeader("X-Real-IP")
		if ip == "" {
			ip = c.RemoteIP()
		}
		limMu.Lock()
		l, ok := limiters[ip]
		if !ok {
			l = rate.NewLimiter(5, 10)
			limiters[ip] = l
		}
		limMu.Unlock()
		if !l.Allow() {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "slow down"})
			return
		}
		c.Next()
	}
}

type topItem struct {
	ProductID int64  `json:"product_id"`
	Name      string `json:"name"`
	Sold      int64  `json:"sold"`
}

// GET /tours/:tourID/top-sellers  (shown on every product page during a drop)
func (s *server) topSellers(c *gin.Context) {
	tourID := c.Param("tourID")
	key := "top:" + tourID
	if v, found := s.cache.Get(key); found {
		c.JSON(http.StatusOK, v)
		return
	}
	rows, err := s.db.QueryContext(c.Request.Context(), `
		SELECT p.id, p.name, SUM(oi.qty) AS sold
		  FROM order_items oi
		  JOIN orders o   ON o.id = oi.order_id AND o.status = 'paid'
		  JOIN products p ON p.id = oi.product_id
		 WHERE p.tour_id = $1
		 GROUP BY p.id, p.name
		 ORDER BY sold DESC
		 LIMIT 10`, tourID)
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []topItem
	for rows.Next() {
		var t topItem
		if err := rows.Scan(&t.ProductID, &t.Name, &t.Sold); err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		out = append(out, t)
	}
	s.cache.Set(key, out, 30*time.Second)
	c.JSON(http.StatusOK, out)
}

var errSoldOut = errors.New("sold out")
// POST /products/:id/reserve — holds one unit for venue pickup.
func (s *server) reserve(c *gin.Context) {
	res, err := s.db.ExecContext(c.Request.Context(),
		`UPDATE product_sizes SET stock = stock - 1 WHERE product_id = $1 AND size = $2 AND stock > 0`,
		c.Param("id"), c.Query("size"))
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": errSoldOut.Error()})
		return
	}
	c.JSON(http.StatusOK, gin.H{"reserved": true})
}

func main() {
	db, err := sql.Open("postgres", "host=/cloudsql/merch dbname=merch")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(20) // 4 pods x 20 < Cloud SQL max_connections
	s := &server{db: db, cache: gocache.New(30*time.Second, time.Minute)}
	r := gin.Default()
	r.Use(perIP())
	r.GET("/tours/:tourID/top-sellers", s.topSellers)
	r.POST("/products/:id/reserve", s.reserve)
	r.Run(":8080")
}
