package ringing

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// RingingRecord is one capture (new ring or retrap) at a wetland site.
// Groups share the database; ringing_group_id scopes every row.
type RingingRecord struct {
	ID             int64
	RingingGroupID int64
	RingNumber     string
	Species        string
	Age            string
	Sex            string
	WingMM         float64
	WeightG        float64
	SiteCode       string
	RingerID       int64
	CaughtAt       time.Time
}

type Ringer struct {
	ID             int64
	RingingGroupID int64
	Name           string
	PermitClass    string // A, C, T ...
}

type RingingHandler struct {
	db        *gorm.DB
	schemeURL string       // national ringing scheme upload endpoint
	client    *http.Client // built with a 20s timeout in main
}

func (h *RingingHandler) Register(r *gin.RouterGroup) {
	r.GET("/records", h.ListRecords)
	r.GET("/records/export.csv", h.ExportRecords)
}

// GET /records?before_id=...  — paged, newest first.
func (h *RingingHandler) ListRecords(c *gin.Context) {
	groupID := c.GetInt64("ringing_group_id")
	beforeID, _ := strconv.ParseInt(c.DefaultQuery("before_id", "0"), 10, 64)

	q := h.db.WithContext(c.Request.Context()).
		Where("ringing_group_id = ?", groupID).
		Order("id DESC").
		Limit(100)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var records []RingingRecord
	if err := q.Find(&records).Error; err != nil {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, records)
}

// GET /records/export.csv — the full capture history for the group, in the
// column layout the national ringing scheme's upload tool expects.
func (h *RingingHandler) ExportRecords(c *gin.Context) {
	ctx := c.Request.Context()
	groupID := c.GetInt64("ringing_group_id")

	var records []RingingRecord
	if err := h.db.WithContext(ctx).Where("ringing_group_id = ?", groupID).Order("caught_at").Find(&records).Error; err != nil {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}

	c.Header("Content-Type", "text/csv")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="ringing-%d.csv"`, groupID))
	w := csv.NewWriter(c.Writer)
	w.Write([]string{"ring_no", "species", "age", "sex", "wing_mm", "weight_g", "site", "date", "ringer", "permit"})

	for _, rec := range records {
		var ringer Ringer
		if err := h.db.WithContext(ctx).Where("id = ? AND ringing_group_id = ?", rec.RingerID, groupID).First(&ringer).Error; err != nil {
			c.Error(fmt.Errorf("ringer %d for record %d: %w", rec.RingerID, rec.ID, err))
			ringer.Name = "unknown"
		}
		w.Write([]string{rec.RingNumber, rec.Species, rec.Age, rec.Sex,
			strconv.FormatFloat(rec.WingMM, 'f', 1, 64), strconv.FormatFloat(rec.WeightG, 'f', 1, 64),
			rec.SiteCode, rec.CaughtAt.Format("02/01/2006"), ringer.Name, ringer.PermitClass})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		c.Error(err)
	}
}

// submitToScheme uploads a finished CSV to the national scheme; their upload
// endpoint is often busy on the first evening after a ringing weekend.
func (h *RingingHandler) submitToScheme(ctx context.Context, groupID int64, data []byte) error {
	var lastErr error
	for attempt := 0; attempt < 6; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.schemeURL, bytes.NewReader(data))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("X-Ringing-Group", strconv.FormatInt(groupID, 10))
		resp, err := h.client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusAccepted {
				return nil
			}
			err = fmt.Errorf("scheme upload status %d", resp.StatusCode)
		}
		lastErr = err
		time.Sleep(3 * time.Second)
	}
	return lastErr
}
