package tasks

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// Canal restoration volunteer tasks. Several restoration trusts share this
// deployment; every row carries the owning trust's ID and the trust is taken
// from the signed-in coordinator's token (see middleware.TrustID).

type Task struct {
	ID       uint      `json:"id"`
	TrustID  uint      `json:"-"`
	Title    string    `json:"title"`
	Site     string    `json:"site"` // e.g. "Lock 14, Wendover Arm"
	WorkDate time.Time `json:"work_date"`
	Status   string    `json:"status"`
	Signups  []Signup  `json:"signups" gorm:"-"`
}

type Signup struct {
	ID            uint   `json:"id"`
	TaskID        uint   `json:"-"`
	VolunteerName string `json:"volunteer_name"`
	Role          string `json:"role"` // "chainsaw", "first aid", "tea"
}

type HoursEntry struct {
	ID          uint      `json:"id"`
	TrustID     uint      `json:"-"`
	VolunteerID uint      `json:"volunteer_id"`
	TaskID      uint      `json:"task_id"`
	Hours       float64   `json:"hours"`
	LoggedOn    time.Time `json:"logged_on"`
}

var ErrNotFound = errors.New("task not found")

type Repo struct{ db *gorm.DB }

// WeekRota returns the week's tasks with who has signed up for each one.
func (r *Repo) WeekRota(ctx context.Context, trustID uint, weekStart time.Time) ([]Task, error) {
	var tasks []Task
	err := r.db.WithContext(ctx).
		Where("trust_id = ? AND work_date >= ? AND work_date < ?", trustID, weekStart, weekStart.AddDate(0, 0, 7)).
		Order("work_date").Find(&tasks).Error
	if err != nil {
		return nil, err
	}
	for i := range tasks {
		if err := r.db.WithContext(ctx).Where("task_id = ?", tasks[i].ID).Find(&tasks[i].Signups).Error; err != nil {
			return nil, err
		}
	}
	return tasks, nil
}

func (r *Repo) SetStatus(ctx context.Context, trustID, taskID uint, status string) error {
	res := r.db.WithContext(ctx).Model(&Task{}).Where("id = ?", taskID).Update("status", status)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// VolunteerHours feeds the hours grid on the coordinator dashboard.
func (r *Repo) VolunteerHours(ctx context.Context, trustID uint) ([]HoursEntry, error) {
	var entries []HoursEntry
	err := r.db.WithContext(ctx).Where("trust_id = ?", trustID).Order("logged_on DESC").Find(&entries).Error
	return entries, err
}

func RegisterRoutes(g *gin.RouterGroup, repo *Repo) {
	g.GET("/rota", func(c *gin.Context) {
		week, err := time.Parse("2006-01-02", c.Query("week"))
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "week must be YYYY-MM-DD"})
			return
		}
		tasks, err := repo.WeekRota(c, c.GetUint("trust_id"), week)
		if err != nil {
			c.Error(err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load rota"})
			return
		}
		c.JSON(http.StatusOK, tasks)
	})
	g.PATCH("/tasks/:id/status", func(c *gin.Context) {
		id, err := strconv.ParseUint(c.Param("id"), 10, 64)
		var body struct {
			Status string `json:"status" binding:"required,oneof=open done cancelled"`
		}
		if err != nil || c.ShouldBindJSON(&body) != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "bad request"})
			return
		}
		switch err := repo.SetStatus(c, c.GetUint("trust_id"), uint(id), body.Status); {
		case errors.Is(err, ErrNotFound):
			c.JSON(http.StatusNotFound, gin.H{"error": "no such task"})
		case err != nil:
			c.Error(err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "update failed"})
		default:
			c.Status(http.StatusNoContent)
		}
	})
	g.GET("/hours", func(c *gin.Context) {
		entries, err := repo.VolunteerHours(c, c.GetUint("trust_id"))
		if err != nil {
			c.Error(err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load hours"})
			return
		}
		c.JSON(http.StatusOK, entries)
	})
}
