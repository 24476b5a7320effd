package dashboard

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// Report is a saved analytics report belonging to an organization.
type Report struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	OrgID     uint      `gorm:"index;not null" json:"org_id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	CreatedBy uint      `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// AuditEvent records every action taken inside an org (logins, edits, exports...).
type AuditEvent struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	OrgID     uint      `gorm:"index:idx_audit_org_created,priority:1" json:"org_id"`
	ActorID   uint      `json:"actor_id"`
	Action    string    `json:"action"`
	Target    string    `json:"target"`
	CreatedAt time.Time `gorm:"index:idx_audit_org_created,priority:2" json:"created_at"`
}

type Handlers struct {
	DB *gorm.DB
}

func (h *Handlers) Routes(rg *gin.RouterGroup) {
	rg.GET("/reports", h.ListReports)
	rg.GET("/reports/:id", h.GetReport)
	rg.DELETE("/reports/:id", h.DeleteReport)
	rg.GET("/audit-log", h.AuditLog)
}

// orgID is set by the auth middleware from the session's active workspace.
func orgID(c *gin.Context) uint { return c.MustGet("org_id").(uint) }

func (h *Handlers) ListReports(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	if page < 1 {
		page = 1
	}
	const perPage = 25

	var reports []Report
	err := h.DB.WithContext(c).
		Where("org_id = ?", orgID(c)).
		Order("created_at DESC").
		Limit(perPage).Offset((page - 1) * perPage).
		Find(&reports).Error
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load reports"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"reports": reports, "page": page})
}

func (h *Handlers) GetReport(c *gin.Context) {
	var report Report
	if err := h.DB.WithContext(c).First(&report, c.Param("id")).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "report not found"})
		return
	}
	c.JSON(http.StatusOK, report)
}

func (h *Handlers) DeleteReport(c *gin.Context) {
	res := h.DB.WithContext(c).
		Where("id = ? AND org_id = ?", c.Param("id"), orgID(c)).
		Delete(&Report{})
	if res.Error != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "delete failed"})
		return
	}
	if res.RowsAffected == 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": "report not found"})
		return
	}
	c.Status(http.StatusNoContent)
}

// AuditLog returns the organization's audit trail, newest first.
func (h *Handlers) AuditLog(c *gin.Context) {
	var events []AuditEvent
	if err := h.DB.WithContext(c).Where("org_id = ?", orgID(c)).Order("created_at DESC").Find(&events).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load audit log"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"events": events})
}
