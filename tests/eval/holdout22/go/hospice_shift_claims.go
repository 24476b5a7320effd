package volunteers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// Shift is a volunteer slot at one hospice (tea trolley, reception, driving).
// Several hospices share this deployment; hospice_id is the tenant key.
type Shift struct {
	ID          uint       `gorm:"primaryKey" json:"id"`
	HospiceID   uint       `gorm:"index:idx_shift_hospice_start,priority:1;not null" json:"-"`
	Role        string     `json:"role"`
	StartsAt    time.Time  `gorm:"index:idx_shift_hospice_start,priority:2" json:"starts_at"`
	EndsAt      time.Time  `json:"ends_at"`
	VolunteerID *uint      `json:"volunteer_id"`
	ClaimedAt   *time.Time `json:"claimed_at"`
}

type ShiftAPI struct {
	DB  *gorm.DB
	Log *slog.Logger
}

func (a *ShiftAPI) Register(r *gin.RouterGroup) {
	r.GET("/shifts/open", a.listOpen)
	r.POST("/shifts/:id/claim", a.claim)
}

// listOpen pages through unclaimed shifts for the caller's hospice, keyset by start time.
func (a *ShiftAPI) listOpen(c *gin.Context) {
	hospiceID := c.GetUint("hospice_id") // from the session middleware
	after := time.Now()
	if s := c.Query("after"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "after must be RFC 3339"})
			return
		}
		after = t
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	var shifts []Shift
	err := a.DB.WithContext(ctx).
		Where("hospice_id = ? AND volunteer_id IS NULL AND starts_at > ?", hospiceID, after).
		Order("starts_at").
		Limit(50).
		Find(&shifts).Error
	if err != nil {
		a.Log.Error("list open shifts", "hospice", hospiceID, "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load shifts"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"shifts": shifts})
}

var errTaken = errors.New("shift already claimed")

// claim assigns the shift only if nobody holds it yet; the condition is part of the UPDATE.
func (a *ShiftAPI) claim(c *gin.Context) {
	hospiceID := c.GetUint("hospice_id")
	volunteerID := c.GetUint("volunteer_id")
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad shift id"})
		return
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	now := time.Now()
	res := a.DB.WithContext(ctx).Model(&Shift{}).
		Where("id = ? AND hospice_id = ? AND volunteer_id IS NULL", id, hospiceID).
		Updates(map[string]any{"volunteer_id": volunteerID, "claimed_at": now})
	if res.Error != nil {
		a.Log.Error("claim shift", "shift", id, "err", res.Error)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not claim shift"})
		return
	}
	if res.RowsAffected == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": errTaken.Error()})
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": id, "volunteer_id": volunteerID, "claimed_at": now})
}
