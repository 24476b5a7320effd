package main

// loadboard - public load board for carriers. v1 api, dont break the json shape,
// the TMS integrations parse it.

import (
	"log"
	"net/http"
	"os"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
)

type Load struct {
	ID          int64  `db:"id" json:"id"`
	Origin      string `db:"origin" json:"origin"`
	Destination string `db:"destination" json:"destination"`
	PickupAt    string `db:"pickup_at" json:"pickup_at"`
	Equipment   string `db:"equipment" json:"equipment"`
	WeightLbs   int    `db:"weight_lbs" json:"weight_lbs"`
	RateCents   int64  `db:"rate_cents" json:"rate_cents"`
	ShipperName string `db:"shipper_name" json:"shipper_name"`
	BidCount    int    `db:"-" json:"bid_count"`
}

type Bid struct {
	ID          int64  `db:"id" json:"id"`
	LoadID      int64  `db:"load_id" json:"load_id"`
	CarrierID   int64  `db:"carrier_id" json:"carrier_id"`
	AmountCents int64  `db:"amount_cents" json:"amount_cents"`
	CreatedAt   string `db:"created_at" json:"created_at"`
}

var db *sqlx.DB

func main() {
	db = sqlx.MustConnect("postgres", os.Getenv("LOADBOARD_DSN"))
	db.SetMaxOpenConns(25)

	r := gin.Default()
	r.Use(carrierAuth())
	r.GET("/v1/loads", listLoads)
	r.GET("/v1/loads/:id", getLoad)
	r.GET("/v1/loads/:id/bids", listBids)
	r.POST("/v1/loads/:id/bids", placeBid)
	log.Fatal(r.Run(":8080"))
}

// all open loads, optionally by equipment type (van, reefer, flatbed)
func listLoads(c *gin.Context) {
	q := `SELECT l.id, l.origin, l.destination, l.pickup_at, l.equipment, l.weight_lbs,
	             l.rate_cents, s.name AS shipper_name
	      FROM loads l JOIN shippers s ON s.id = l.shipper_id
	      WHERE l.status = 'open'`
	args := []interface{}{}
	if eq := c.Query("equipment"); eq != "" {
		q += ` AND l.equipment = $1`
		args = append(args, eq)
	}
	q += ` ORDER BY l.pickup_at`

	loads := []Load{}
	if err := db.Select(&loads, q, args...); err != nil {
		c.JSON(500, gin.H{"error": err.Error()})
		return
	}
	for i := range loads {
		db.Get(&loads[i].BidCount, `SELECT count(*) FROM bids WHERE load_id = $1`, loads[i].ID)
	}
	c.JSON(200, loads)
}

func getLoad(c *gin.Context) {
	var l Load
	err := db.Get(&l, `SELECT l.id, l.origin, l.destination, l.pickup_at, l.equipment, l.weight_lbs,
	                          l.rate_cents, s.name AS shipper_name
	                   FROM loads l JOIN shippers s ON s.id = l.shipper_id WHERE l.id = $1`, c.Param("id"))
	if err != nil {
		c.JSON(404, gin.H{"error": "not found"})
		return
	}
	c.JSON(200, l)
}

func listBids(c *gin.Context) {
	bids := []Bid{}
	err := db.Select(&bids, `SELECT id, load_id, carrier_id, amount_cents, created_at
		FROM bids WHERE load_id = $1 ORDER BY amount_cents LIMIT 50`, c.Param("id"))
	if err != nil {
		c.JSON(500, gin.H{"error": err.Error()})
		return
	}
	c.JSON(200, bids)
}

func placeBid(c *gin.Context) {
	var in struct {
		AmountCents int64 `json:"amount_cents" binding:"required,gt=0"`
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		c.JSON(400, gin.H{"error": err.Error()})
		return
	}
	loadID, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	var id int64
	err := db.QueryRowx(`INSERT INTO bids (load_id, carrier_id, amount_cents) VALUES ($1, $2, $3) RETURNING id`,
		loadID, c.GetInt64("carrier_id"), in.AmountCents).Scan(&id)
	if err != nil {
		c.JSON(500, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": id})
}
