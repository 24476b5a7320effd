// Package crm: here's a complete, production-ready gin setup for the real-estate
// CRM covering lead imports, email campaigns and the agent dashboard. Everything
// is scoped to the agency of the logged-in agent.
// Deployment: k8s Deployment with 3 replicas behind an ALB (60s idle timeout).
package crm

import (
	"context"
	"encoding/csv"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

type ImportStatus struct {
	State    string `json:"state"` // running | done | failed
	Imported int    `json:"imported"`
	Error    string `json:"error,omitempty"`
}

// background lead imports, keyed by job id
var (
	importMu   sync.RWMutex
	importJobs = make(map[string]*ImportStatus)
)

type CRM struct {
	DB     *sqlx.DB
	Mailer interface { // wraps the Postmark API, shared http.Client with 10s timeout
		Send(ctx context.Context, to, subject, html string) error
	}
}

// ImportLeads (POST /leads/import) imports the CSV in the background and
// returns a job id the frontend polls via GET /leads/import/:id.
func (h *CRM) ImportLeads(c *gin.Context) {
	agencyID := c.GetInt64("agencyID")
	records, err := csv.NewReader(c.Request.Body).ReadAll()
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid CSV"})
		return
	}
	id := uuid.NewString()
	st := &ImportStatus{State: "running"}
	importMu.Lock()
	importJobs[id] = st
	importMu.Unlock()

	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		n, err := h.insertLeads(ctx, agencyID, records)
		importMu.Lock()
		defer importMu.Unlock()
		st.Imported, st.State = n, "done"
		if err != nil {
			st.State, st.Error = "failed", err.Error()
		}
	}()
	c.JSON(http.StatusAccepted, gin.H{"job_id": id})
}

func (h *CRM) ImportStatus(c *gin.Context) {
	importMu.RLock()
	st, ok := importJobs[c.Param("id")]
	importMu.RUnlock()
	if !ok {
		c.JSON(http.StatusNotFound, gin.H{"error": "unknown import"})
		return
	}
	c.JSON(http.StatusOK, st)
}

// SendCampaign (POST /campaigns/:id/send) emails a listing campaign to every
// opted-in contact. Postmark allows ~10 req/s on our plan, so we pace sends.
func (h *CRM) SendCampaign(c *gin.Context) {
	agencyID := c.GetInt64("agencyID")
	var camp struct{ Subject, HTML string }
	if err := h.DB.GetContext(c, &camp,
		`SELECT subject, html_body AS html FROM campaigns WHERE id = $1 AND agency_id = $2`, c.Param("id"), agencyID); err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "campaign not found"})
		return
	}
	var emails []string
	if err := h.DB.SelectContext(c, &emails,
		`SELECT email FROM contacts WHERE agency_id = $1 AND marketing_opt_in`, agencyID); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	sent := 0
	for _, to := range emails {
		if err := h.Mailer.Send(c, to, camp.Subject, camp.HTML); err != nil {
			log.Printf("campaign %s to %s: %v", c.Param("id"), to, err)
			continue
		}
		sent++
		time.Sleep(100 * time.Millisecond)
	}
	c.JSON(http.StatusOK, gin.H{"sent": sent, "total": len(emails)})
}

// Dashboard (GET /dashboard) returns pipeline numbers for the agency's home screen.
func (h *CRM) Dashboard(c *gin.Context) {
	agencyID := c.GetInt64("agencyID")
	var stats []struct {
		Stage      string  `json:"stage"`
		Deals      int     `json:"deals"`
		Volume     float64 `json:"volume"`
		Activities int     `json:"activities_30d"`
	}
	err := h.DB.SelectContext(c, &stats, `
		SELECT d.stage, count(DISTINCT d.id) AS deals, coalesce(sum(DISTINCT d.asking_price), 0) AS volume,
		       count(a.id) FILTER (WHERE a.created_at > now() - interval '30 days') AS activities
		  FROM deals d
		  JOIN listings l ON l.id = d.listing_id
		  LEFT JOIN activities a ON a.deal_id = d.id
		 WHERE d.agency_id = $1
		 GROUP BY d.stage
		 ORDER BY d.stage`, agencyID)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, stats)
}
