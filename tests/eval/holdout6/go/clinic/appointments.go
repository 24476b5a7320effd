package clinic

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Appointment rows belong to a clinic (tenant). There is a unique index on
// (practitioner_id, starts_at) so two bookings can never take the same slot.
type Appointment struct {
	ID             uint      `gorm:"primaryKey" json:"id"`
	ClinicID       uint      `gorm:"index;not null" json:"-"`
	PractitionerID uint      `json:"practitioner_id"`
	PatientID      uint      `json:"patient_id"`
	StartsAt       time.Time `json:"starts_at"`
	Status         string    `json:"status"`
	Version        int       `json:"version"`
}

type API struct{ db *gorm.DB }

// scoped restricts every query to the clinic from the authenticated session.
func (a *API) scoped(c *gin.Context) *gorm.DB {
	return a.db.WithContext(c.Request.Context()).Where("clinic_id = ?", c.GetUint("clinic_id"))
}

func (a *API) Register(r *gin.RouterGroup) {
	r.GET("/appointments", a.list)
	r.POST("/appointments", a.book)
	r.PATCH("/appointments/:id/reschedule", a.reschedule)
}

func (a *API) list(c *gin.Context) {
	limit, _ := strconv.Atoi(c.DefaultQuery("limit", "50"))
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var appts []Appointment
	q := a.scoped(c).Order("starts_at").Limit(limit)
	if after := c.Query("after"); after != "" {
		q = q.Where("starts_at > ?", after)
	}
	if err := q.Find(&appts).Error; err != nil {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "could not load appointments"})
		return
	}
	c.JSON(http.StatusOK, appts)
}

func (a *API) book(c *gin.Context) {
	var in Appointment
	if err := c.ShouldBindJSON(&in); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	in.ClinicID = c.GetUint("clinic_id")
	in.Status = "booked"
	err := a.db.WithContext(c.Request.Context()).Create(&in).Error
	if isUniqueViolation(err) {
		c.JSON(http.StatusConflict, gin.H{"error": "slot already taken"})
		return
	} else if err != nil {
		c.Error(err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.JSON(http.StatusCreated, in)
}

func (a *API) reschedule(c *gin.Context) {
	var body struct {
		StartsAt time.Time `json:"starts_at" binding:"required"`
	}
	if err := c.ShouldBindJSON(&body); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	var appt Appointment
	err := a.db.WithContext(c.Request.Context()).First(&appt, c.Param("id")).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		c.JSON(http.StatusNotFound, gin.H{"error": "appointment not found"})
		return
	} else if err != nil {
		c.Error(err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	// optimistic concurrency: only apply if nobody changed the row meanwhile
	res := a.scoped(c).Model(&Appointment{}).
		Where("id = ? AND version = ?", appt.ID, appt.Version).
		Updates(map[string]any{"starts_at": body.StartsAt, "version": appt.Version + 1})
	if isUniqueViolation(res.Error) {
		c.JSON(http.StatusConflict, gin.H{"error": "slot already taken"})
		return
	} else if res.Error != nil {
		c.Error(res.Error)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if res.RowsAffected == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "appointment was modified, reload and retry"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": appt.ID, "starts_at": body.StartsAt})
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
