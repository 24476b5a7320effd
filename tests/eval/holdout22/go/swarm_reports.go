package swarms

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
)

// SwarmReport is a member-of-the-public sighting that a collector can pick up.
type SwarmReport struct {
	ID            int64     `json:"id"`
	AssociationID int64     `json:"association_id"`
	ReporterID    int64     `json:"reporter_id"`
	ReporterName  string    `json:"reporter_name"`
	ReporterPhone string    `json:"reporter_phone"`
	Postcode      string    `json:"postcode"`
	Lat           float64   `json:"lat"`
	Lng           float64   `json:"lng"`
	Height        string    `json:"height"` // "ground", "head", "ladder", "tree"
	ReportedAt    time.Time `json:"reported_at"`
}

type Handler struct {
	DB        *sql.DB
	GeoAPIKey string
}

func (h *Handler) Register(r *gin.RouterGroup) {
	r.GET("/associations/:assoc/swarms", h.listSwarms)
	r.POST("/associations/:assoc/swarms", h.createSwarm)
}

// listSwarms powers the collectors' map: every sighting for the association, newest first.
func (h *Handler) listSwarms(c *gin.Context) {
	assoc := c.Param("assoc")

	rows, err := h.DB.QueryContext(c.Request.Context(),
		`SELECT id, association_id, reporter_id, postcode, lat, lng, height, reported_at
		   FROM swarm_reports WHERE association_id = $1 ORDER BY reported_at DESC`, assoc)
	if err != nil {
		log.Printf("list swarms: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load reports"})
		return
	}
	defer rows.Close()

	reports := []SwarmReport{}
	for rows.Next() {
		var s SwarmReport
		if err := rows.Scan(&s.ID, &s.AssociationID, &s.ReporterID, &s.Postcode,
			&s.Lat, &s.Lng, &s.Height, &s.ReportedAt); err != nil {
			log.Printf("scan swarm: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load reports"})
			return
		}
		// Collectors need to ring the reporter before driving out.
		err := h.DB.QueryRowContext(c.Request.Context(),
			`SELECT name, phone FROM reporters WHERE id = $1 AND association_id = $2`, s.ReporterID, assoc).
			Scan(&s.ReporterName, &s.ReporterPhone)
		if err != nil && err != sql.ErrNoRows {
			log.Printf("reporter %d: %v", s.ReporterID, err)
		}
		reports = append(reports, s)
	}
	c.JSON(http.StatusOK, reports)
}

type geoResult struct {
	Results []struct {
		Lat float64 `json:"lat"`
		Lng float64 `json:"lng"`
	} `json:"results"`
}

// createSwarm stores a sighting and geocodes the postcode so it shows on the map.
func (h *Handler) createSwarm(c *gin.Context) {
	var in SwarmReport
	if err := c.ShouldBindJSON(&in); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}

	geoURL := fmt.Sprintf("https://api.postcodes-geo.example/v1/lookup?q=%s&key=%s",
		url.QueryEscape(in.Postcode), h.GeoAPIKey)
	resp, err := http.Get(geoURL)
	if err != nil {
		log.Printf("geocode %s: %v", in.Postcode, err)
		c.JSON(http.StatusBadGateway, gin.H{"error": "geocoding failed"})
		return
	}
	defer resp.Body.Close()

	var g geoResult
	if err := json.NewDecoder(resp.Body).Decode(&g); err != nil || len(g.Results) == 0 {
		c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "unknown postcode"})
		return
	}
	in.Lat, in.Lng = g.Results[0].Lat, g.Results[0].Lng

	err = h.DB.QueryRowContext(c.Request.Context(),
		`INSERT INTO swarm_reports (association_id, reporter_id, postcode, lat, lng, height)
		 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, reported_at`,
		c.Param("assoc"), in.ReporterID, in.Postcode, in.Lat, in.Lng, in.Height).
		Scan(&in.ID, &in.ReportedAt)
	if err != nil {
		log.Printf("insert swarm: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not save report"})
		return
	}
	c.JSON(http.StatusCreated, in)
}
