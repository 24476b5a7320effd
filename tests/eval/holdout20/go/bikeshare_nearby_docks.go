package stations

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
)

type Station struct {
	ID        string  `db:"id" json:"id"`
	Name      string  `db:"name" json:"name"`
	Lat       float64 `db:"lat" json:"lat"`
	Lon       float64 `db:"lon" json:"lon"`
	DistanceM float64 `db:"distance_m" json:"distance_m"`
	BikesFree int     `db:"-" json:"bikes_free"`
	DocksFree int     `db:"-" json:"docks_free"`
}

type cachedNearby struct {
	stations []Station
	at       time.Time
}

// Nearby lookups are cached for a short while: the map screen polls every 10 s.
var (
	nearbyMu    sync.RWMutex
	nearbyCache = make(map[string]cachedNearby)
)

const nearbyTTL = 15 * time.Second

type Handler struct {
	db *sqlx.DB
}

func NewHandler(db *sqlx.DB) *Handler { return &Handler{db: db} }

func (h *Handler) Register(r *gin.Engine) {
	r.GET("/api/stations/nearby", h.nearby)
}

func (h *Handler) nearby(c *gin.Context) {
	lat, err1 := strconv.ParseFloat(c.Query("lat"), 64)
	lon, err2 := strconv.ParseFloat(c.Query("lon"), 64)
	if err1 != nil || err2 != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "lat and lon are required"})
		return
	}
	radius, _ := strconv.Atoi(c.DefaultQuery("radius", "500"))
	if radius <= 0 || radius > 2000 {
		radius = 500
	}

	key := fmt.Sprintf("%.4f,%.4f,%d", lat, lon, radius)
	nearbyMu.RLock()
	entry, ok := nearbyCache[key]
	nearbyMu.RUnlock()
	if ok && time.Since(entry.at) < nearbyTTL {
		c.JSON(http.StatusOK, entry.stations)
		return
	}

	stations, err := h.loadNearby(c, lat, lon, radius)
	if err != nil {
		_ = c.Error(err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load stations"})
		return
	}

	nearbyMu.Lock()
	nearbyCache[key] = cachedNearby{stations: stations, at: time.Now()}
	nearbyMu.Unlock()

	c.JSON(http.StatusOK, stations)
}

func (h *Handler) loadNearby(c *gin.Context, lat, lon float64, radius int) ([]Station, error) {
	ctx := c.Request.Context()
	var stations []Station
	err := h.db.SelectContext(ctx, &stations, `
		SELECT id, name, lat, lon,
		       ST_Distance(geom, ST_MakePoint($2, $1)::geography) AS distance_m
		FROM stations
		WHERE active
		  AND ST_DWithin(geom, ST_MakePoint($2, $1)::geography, $3)
		ORDER BY distance_m
		LIMIT 25`, lat, lon, radius)
	if err != nil {
		return nil, fmt.Errorf("nearby stations: %w", err)
	}

	// Fill in live availability for each station from the dock table.
	for i := range stations {
		var counts struct {
			Bikes int `db:"bikes"`
			Docks int `db:"docks"`
		}
		err := h.db.GetContext(ctx, &counts, `
			SELECT count(*) FILTER (WHERE state = 'bike_locked') AS bikes,
			       count(*) FILTER (WHERE state = 'empty')       AS docks
			FROM docks WHERE station_id = $1`, stations[i].ID)
		if err != nil {
			return nil, fmt.Errorf("dock counts for %s: %w", stations[i].ID, err)
		}
		stations[i].BikesFree = counts.Bikes
		stations[i].DocksFree = counts.Docks
	}
	return stations, nil
}
