// Package api: wedding vendor directory. One deployment serves all storefronts
// (storefront_id is set by the auth middleware).
// helm values: replicaCount: 3 -- rate-limit counters live in Redis.
package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"
)

//go:embed regions.json
var regionsJSON []byte

// regionNames is filled once at start-up and only read afterwards.
var regionNames map[string]string

func init() {
	if err := json.Unmarshal(regionsJSON, &regionNames); err != nil {
		panic(fmt.Sprintf("regions.json: %v", err))
	}
}

type Category struct { // shared by every storefront, no storefront_id column
	ID   uint   `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type Package struct {
	ID         uint   `json:"id"`
	VendorID   uint   `json:"-"`
	Name       string `json:"name"`
	PriceCents int64  `json:"price_cents"`
}

type Vendor struct {
	ID           uint      `json:"id"`
	StorefrontID uint      `json:"-"`
	CategoryID   uint      `json:"category_id"`
	Name         string    `json:"name"`
	RegionCode   string    `json:"region_code"`
	Region       string    `json:"region" gorm:"-"`
	Packages     []Package `json:"packages"`
}

type API struct {
	DB    *gorm.DB
	Redis *redis.Client
}

// RateLimit: fixed window per API key, counted in Redis so all replicas share it.
func (a *API) RateLimit(limit int64, window time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := fmt.Sprintf("rl:%s:%d", c.GetString("api_key_id"), time.Now().Unix()/int64(window.Seconds()))
		n, err := a.Redis.Incr(c, key).Result()
		if err != nil {
			log.Printf("ratelimit: redis: %v (failing open)", err)
			c.Next()
			return
		}
		if n == 1 {
			a.Redis.Expire(c, key, window)
		}
		if n > limit {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "rate limit exceeded"})
			return
		}
		c.Next()
	}
}

// GET /vendors?category=3&page=2
func (a *API) ListVendors(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	page = max(page, 1)
	q := a.DB.WithContext(c).Where("storefront_id = ?", c.GetUint("storefront_id"))
	if cat := c.Query("category"); cat != "" {
		q = q.Where("category_id = ?", cat)
	}
	var vendors []Vendor
	if err := q.Preload("Packages").Order("name, id").Limit(24).Offset((page - 1) * 24).Find(&vendors).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	for i := range vendors {
		vendors[i].Region = regionNames[vendors[i].RegionCode]
	}
	c.JSON(http.StatusOK, gin.H{"page": page, "vendors": vendors})
}

// GET /vendors/:id
func (a *API) GetVendor(c *gin.Context) {
	var v Vendor
	err := a.DB.WithContext(c).Preload("Packages").
		Where("id = ? AND storefront_id = ?", c.Param("id"), c.GetUint("storefront_id")).First(&v).Error
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	c.JSON(http.StatusOK, v)
}

// GET /categories/:id
func (a *API) GetCategory(c *gin.Context) {
	var cat Category
	if err := a.DB.WithContext(c).First(&cat, c.Param("id")).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	c.JSON(http.StatusOK, cat)
}
