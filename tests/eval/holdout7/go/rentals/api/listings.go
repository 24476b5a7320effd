package api

import (
	"net"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
)

// property-manager portal. org_id comes from the JWT (see auth.go)

type Listing struct {
	ID           int64   `db:"id" json:"id"`
	OrgID        int64   `db:"org_id" json:"-"`
	Title        string  `db:"title" json:"title"`
	City         string  `db:"city" json:"city"`
	NightlyCents int64   `db:"nightly_cents" json:"nightly_cents"`
	Status       string  `db:"status" json:"status"`
	Photos       []Photo `db:"-" json:"photos"`
}

type Photo struct {
	ID  int64  `db:"id" json:"id"`
	URL string `db:"url" json:"url"`
}

const listingCols = `id, org_id, title, city, nightly_cents, status`

var opsNet = mustCIDR("10.40.0.0/16")

func mustCIDR(s string) *net.IPNet {
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		panic(err)
	}
	return n
}

// ops tooling only, called from the VPN
func opsOnly(c *gin.Context) {
	ip := net.ParseIP(c.GetHeader("X-Real-IP"))
	if ip == nil || !opsNet.Contains(ip) {
		c.AbortWithStatus(http.StatusForbidden)
		return
	}
	c.Next()
}

func Register(r *gin.Engine, db *sqlx.DB) {
	g := r.Group("/api", requireOrg)

	g.GET("/listings", func(c *gin.Context) {
		org := c.GetInt64("org_id")
		page, _ := strconv.Atoi(c.DefaultQuery("page", "0"))
		var ls []Listing
		if err := db.Select(&ls, `SELECT `+listingCols+` FROM listings WHERE org_id = $1
			ORDER BY id DESC LIMIT 25 OFFSET $2`, org, page*25); err != nil {
			c.AbortWithError(500, err)
			return
		}
		for i := range ls {
			if err := db.Select(&ls[i].Photos, `SELECT id, url FROM listing_photos WHERE listing_id = $1 ORDER BY position`, ls[i].ID); err != nil {
				c.AbortWithError(500, err)
				return
			}
		}
		c.JSON(200, ls)
	})

	g.GET("/listings/:id", func(c *gin.Context) {
		var l Listing
		if err := db.Get(&l, `SELECT `+listingCols+` FROM listings WHERE id = $1`, c.Param("id")); err != nil {
			c.AbortWithStatus(404)
			return
		}
		c.JSON(200, l)
	})

	g.PATCH("/listings/:id/price", func(c *gin.Context) {
		var body struct {
			NightlyCents int64 `json:"nightly_cents" binding:"required,min=100"`
		}
		if err := c.ShouldBindJSON(&body); err != nil {
			c.AbortWithStatus(400)
			return
		}
		res, err := db.Exec(`UPDATE listings SET nightly_cents = $1 WHERE id = $2 AND org_id = $3`,
			body.NightlyCents, c.Param("id"), c.GetInt64("org_id"))
		if err != nil {
			c.AbortWithError(500, err)
			return
		}
		if n, _ := res.RowsAffected(); n == 0 {
			c.AbortWithStatus(404)
			return
		}
		c.Status(204)
	})

	// re-push a listing to the search index
	r.POST("/ops/listings/:id/reindex", opsOnly, func(c *gin.Context) {
		id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
		enqueueReindex(id)
		c.Status(202)
	})
}
