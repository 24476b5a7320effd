package judging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"
)

type Score struct {
	ID         uint `gorm:"primaryKey"`
	EventID    uint
	TeamID     uint
	JudgeID    uint
	Innovation int
	Execution  int
	Impact     int
	Comment    string
	CreatedAt  time.Time
}

type TeamMember struct {
	ID     uint
	TeamID uint
	Name   string
	Github string
}

type LeaderRow struct {
	TeamID   uint         `json:"team_id"`
	TeamName string       `json:"team_name"`
	AvgScore float64      `json:"avg_score"`
	Judged   int          `json:"judged_by"`
	Members  []TeamMember `json:"members" gorm:"-"`
}

type Handlers struct {
	DB  *gorm.DB
	RDB *redis.Client
}

func (h *Handlers) Register(r *gin.Engine) {
	g := r.Group("/events/:eventID", RequireJudge())
	g.POST("/teams/:teamID/scores", h.SubmitScore)
	r.GET("/events/:eventID/leaderboard", h.Leaderboard) // public, shown on the big screen + attendees' phones
}

// SubmitScore — each judge scores each team once; scores are final.
func (h *Handlers) SubmitScore(c *gin.Context) {
	var in Score
	if err := c.ShouldBindJSON(&in); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	in.EventID = parseUint(c.Param("eventID"))
	in.TeamID = parseUint(c.Param("teamID"))
	in.JudgeID = c.GetUint("judge_id")

	var existing Score
	err := h.DB.Where("event_id = ? AND team_id = ? AND judge_id = ?", in.EventID, in.TeamID, in.JudgeID).First(&existing).Error
	if err == nil {
		c.JSON(http.StatusConflict, gin.H{"error": "you already scored this team"})
		return
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "db error"})
		return
	}
	if err := h.DB.Create(&in).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "db error"})
		return
	}
	h.RDB.Del(c, fmt.Sprintf("leaderboard:%d", in.EventID))
	c.JSON(http.StatusCreated, in)
}

// Leaderboard is cached in Redis for 15s.
func (h *Handlers) Leaderboard(c *gin.Context) {
	ctx := c.Request.Context()
	eventID := parseUint(c.Param("eventID"))
	key := fmt.Sprintf("leaderboard:%d", eventID)

	if cached, err := h.RDB.Get(ctx, key).Bytes(); err == nil {
		c.Data(http.StatusOK, "application/json", cached)
		return
	}

	rows, err := h.computeLeaderboard(ctx, eventID)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "db error"})
		return
	}
	buf, _ := json.Marshal(rows)
	h.RDB.Set(ctx, key, buf, 15*time.Second)
	c.Data(http.StatusOK, "application/json", buf)
}

func (h *Handlers) computeLeaderboard(ctx context.Context, eventID uint) ([]LeaderRow, error) {
	var rows []LeaderRow
	err := h.DB.WithContext(ctx).
		Table("scores s").
		Select("s.team_id, t.name AS team_name, AVG(s.innovation*0.4 + s.execution*0.35 + s.impact*0.25) AS avg_score, COUNT(DISTINCT s.judge_id) AS judged").
		Joins("JOIN teams t ON t.id = s.team_id").
		Where("s.event_id = ?", eventID).
		Group("s.team_id, t.name").
		Order("avg_score DESC").
		Limit(100).
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if err := h.DB.WithContext(ctx).Where("team_id = ?", rows[i].TeamID).Find(&rows[i].Members).Error; err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func parseUint(s string) uint {
	var n uint
	fmt.Sscan(s, &n)
	return n
