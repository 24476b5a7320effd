package sportsclub

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// Every table is scoped by ClubID - one database serves all clubs on the platform.
type Team struct {
	ID       uint   `gorm:"primaryKey"`
	ClubID   uint   `gorm:"index"`
	Name     string
	AgeGroup string
}

type Player struct {
	ID        uint `gorm:"primaryKey"`
	ClubID    uint `gorm:"index"`
	TeamID    uint `gorm:"index"`
	FirstName string
	LastName  string
	BirthDate time.Time
	GuardianPhone string
}

type Registration struct {
	ID        uint `gorm:"primaryKey"`
	ClubID    uint `gorm:"index"`
	PlayerID  uint
	Season    string
	FeePaid   bool
	CreatedAt time.Time
}

type RosterAPI struct {
	DB *gorm.DB
}

func (a *RosterAPI) Register(r *gin.RouterGroup) {
	r.GET("/teams", a.listTeams)
	r.GET("/players/:id", a.getPlayer)
	r.GET("/registrations", a.listRegistrations)
}

type teamWithPlayers struct {
	Team
	Players []Player `json:"players"`
}

// GET /teams - all teams of the coach's club, with their players
func (a *RosterAPI) listTeams(c *gin.Context) {
	clubID := c.GetUint("club_id") // set by auth middleware

	var teams []Team
	if err := a.DB.Where("club_id = ?", clubID).Order("age_group").Find(&teams).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}

	out := make([]teamWithPlayers, 0, len(teams))
	for _, t := range teams {
		var players []Player
		a.DB.Where("team_id = ? AND club_id = ?", t.ID, clubID).Find(&players)
		out = append(out, teamWithPlayers{Team: t, Players: players})
	}
	c.JSON(http.StatusOK, out)
}

// GET /players/:id
func (a *RosterAPI) getPlayer(c *gin.Context) {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid id"})
		return
	}
	var p Player
	if err := a.DB.First(&p, id).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	c.JSON(http.StatusOK, p)
}

// GET /registrations - every registration the club ever had, newest first (treasurer view)
func (a *RosterAPI) listRegistrations(c *gin.Context) {
	clubID := c.GetUint("club_id")

	var regs []Registration
	a.DB.Where("club_id = ?", clubID).Order("created_at desc").Find(&regs)
	c.JSON(http.StatusOK, regs)
}

func currentSeason() string {
	y := time.Now().Year()
	if time.Now().Month() < time.August {
		y--
	}
	return strconv.Itoa(y) + "-" + strconv.Itoa((y+1)%100)
}
