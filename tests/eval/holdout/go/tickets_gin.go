package tickets

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type Event struct {
	ID        uint
	Remaining int
}

type Ticket struct {
	ID      uint
	EventID uint
	UserID  uint
	Created time.Time
}

type Handlers struct{ DB *gorm.DB }

func (h *Handlers) Buy(c *gin.Context) {
	var ev Event
	if err := h.DB.First(&ev, c.Param("id")).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "no such event"})
		return
	}
	if ev.Remaining <= 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "sold out"})
		return
	}
	ev.Remaining--
	h.DB.Save(&ev)
	h.DB.Create(&Ticket{EventID: ev.ID, UserID: c.GetUint("uid"), Created: time.Now()})
	c.JSON(http.StatusCreated, gin.H{"remaining": ev.Remaining})
}

func (h *Handlers) BuyLocked(c *gin.Context) {
	err := h.DB.Transaction(func(tx *gorm.DB) error {
		var ev Event
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&ev, c.Param("id")).Error; err != nil {
			return err
		}
		if ev.Remaining <= 0 {
			return gorm.ErrRecordNotFound
		}
		ev.Remaining--
		if err := tx.Save(&ev).Error; err != nil {
			return err
		}
		return tx.Create(&Ticket{EventID: ev.ID, UserID: c.GetUint("uid"), Created: time.Now()}).Error
	})
	if err != nil {
		c.JSON(http.StatusConflict, gin.H{"error": err.Error()})
		return
	}
	c.Status(http.StatusCreated)
}
