// Package visits exposes the volunteer-visit API for the hospice coordination app.
//
// Here's a clean, production-ready implementation using Gin and GORM. Every
// handler is scoped to the caller's organization, which the auth middleware
// places in the Gin context after validating the JWT.
package visits

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// Visit is a scheduled home visit to a patient family.
type Visit struct {
	ID             uint      `gorm:"primaryKey" json:"id"`
	OrganizationID uint      `gorm:"index;not null" json:"organization_id"`
	PatientAlias   string    `json:"patient_alias"`
	ScheduledAt    time.Time `gorm:"index" json:"scheduled_at"`
	MaxVolunteers  int       `json:"max_volunteers"`
	Notes          string    `json:"notes"`
}

// VisitSignup records a volunteer committing to a visit.
type VisitSignup struct {
	ID             uint `gorm:"primaryKey"`
	OrganizationID uint `gorm:"index;not null"`
	VisitID        uint `gorm:"index;not null"`
	VolunteerID    uint `gorm:"not null"`
	CreatedAt      time.Time
}

// Handler bundles the dependencies for the visit routes.
type Handler struct {
	DB *gorm.DB
}

// Register wires the routes onto an authenticated router group.
func (h *Handler) Register(rg *gin.RouterGroup) {
	rg.GET("/visits", h.ListVisits)
	rg.GET("/visits/:id", h.GetVisit)
	rg.PATCH("/visits/:id/notes", h.UpdateNotes)
	rg.POST("/visits/:id/signups", h.SignUp)
}

func orgID(c *gin.Context) uint { return c.MustGet("org_id").(uint) }

// ListVisits returns the organization's visits, newest first.
func (h *Handler) ListVisits(c *gin.Context) {
	var visits []Visit
	if err := h.DB.Where("organization_id = ?", orgID(c)).Order("scheduled_at DESC").Find(&visits).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load visits"})
		return
	}
	c.JSON(http.StatusOK, visits)
}

// GetVisit returns a single visit belonging to the caller's organization.
func (h *Handler) GetVisit(c *gin.Context) {
	var v Visit
	err := h.DB.Where("organization_id = ? AND id = ?", orgID(c), c.Param("id")).First(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		c.JSON(http.StatusNotFound, gin.H{"error": "visit not found"})
		return
	}
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load visit"})
		return
	}
	c.JSON(http.StatusOK, v)
}

// UpdateNotes lets the coordinator append after-visit notes.
func (h *Handler) UpdateNotes(c *gin.Context) {
	var body struct {
		Notes string `json:"notes" binding:"required,max=4000"`
	}
	if err := c.ShouldBindJSON(&body); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	var v Visit
	if err := h.DB.First(&v, c.Param("id")).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "visit not found"})
		return
	}
	v.Notes = body.Notes
	if err := h.DB.Save(&v).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not save notes"})
		return
	}
	c.JSON(http.StatusOK, v)
}

// SignUp adds the current volunteer to a visit if there is still room.
func (h *Handler) SignUp(c *gin.Context) {
	visitID, _ := strconv.Atoi(c.Param("id"))
	volunteerID := c.MustGet("user_id").(uint)
	var v Visit
	if err := h.DB.Where("organization_id = ? AND id = ?", orgID(c), visitID).First(&v).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "visit not found"})
		return
	}
	var taken int64
	h.DB.Model(&VisitSignup{}).Where("visit_id = ?", v.ID).Count(&taken)
	if int(taken) >= v.MaxVolunteers {
		c.JSON(http.StatusConflict, gin.H{"error": "this visit is already fully staffed"})
		return
	}
	signup := VisitSignup{OrganizationID: v.OrganizationID, VisitID: v.ID, VolunteerID: volunteerID}
	if err := h.DB.Create(&signup).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not sign up"})
		return
	}
	c.JSON(http.StatusCreated, signup)
}
