// Allotment association: bulk water-butt orders for plot holders.
// Deployed as the "allotments-api" service, 3 replicas behind the ALB (deploy/values.yaml).
package main

import (
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
)

type orderWindow struct {
	count   int
	resetAt time.Time
}

var (
	orderLimitMu sync.Mutex
	orderWindows = make(map[string]*orderWindow)
)

const maxOrdersPerHour = 5

// requesterKey identifies who is placing the order for throttling purposes.
func requesterKey(c *gin.Context) string {
	if fwd := c.GetHeader("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return c.Request.RemoteAddr
}

func throttleOrders() gin.HandlerFunc {
	return func(c *gin.Context) {
		key := requesterKey(c)
		now := time.Now()

		orderLimitMu.Lock()
		win, ok := orderWindows[key]
		if !ok || now.After(win.resetAt) {
			win = &orderWindow{resetAt: now.Add(time.Hour)}
			orderWindows[key] = win
		}
		win.count++
		over := win.count > maxOrdersPerHour
		orderLimitMu.Unlock()

		if over {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "too many orders, try again later"})
			return
		}
		c.Next()
	}
}

type waterButtOrder struct {
	ID        int64     `db:"id" json:"id"`
	SiteID    int64     `db:"site_id" json:"site_id"`
	PlotNo    string    `db:"plot_no" json:"plot_no"`
	Litres    int       `db:"litres" json:"litres"`
	WithStand bool      `db:"with_stand" json:"with_stand"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

func main() {
	db := sqlx.MustConnect("postgres", os.Getenv("DATABASE_URL"))
	db.SetMaxOpenConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)

	r := gin.Default()

	r.POST("/sites/:site/plots/:plot/water-butts", throttleOrders(), func(c *gin.Context) {
		var in struct {
			Litres    int  `json:"litres" binding:"required,oneof=100 210 250"`
			WithStand bool `json:"with_stand"`
		}
		if err := c.ShouldBindJSON(&in); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		var id int64
		err := db.QueryRowxContext(c.Request.Context(),
			`INSERT INTO water_butt_orders (site_id, plot_no, litres, with_stand)
			 VALUES ($1, $2, $3, $4) RETURNING id`,
			c.Param("site"), c.Param("plot"), in.Litres, in.WithStand).Scan(&id)
		if err != nil {
			log.Printf("insert water butt order: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not place order"})
			return
		}
		c.JSON(http.StatusCreated, gin.H{"id": id})
	})

	r.GET("/sites/:site/plots/:plot/water-butts", func(c *gin.Context) {
		var orders []waterButtOrder
		err := db.SelectContext(c.Request.Context(), &orders,
			`SELECT id, site_id, plot_no, litres, with_stand, created_at
			   FROM water_butt_orders
			  WHERE site_id = $1 AND plot_no = $2
			  ORDER BY created_at DESC
			  LIMIT 50`, c.Param("site"), c.Param("plot"))
		if err != nil {
			log.Printf("list water butt orders: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load orders"})
			return
		}
		c.JSON(http.StatusOK, orders)
	})

	log.Fatal(r.Run(":8080"))
}
