package grooming

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	gocache "github.com/patrickmn/go-cache"
	"gorm.io/gorm"
)

// ---- models ---------------------------------------------------------------

// Every salon in the franchise is a tenant; rows carry salon_id.
type Appointment struct {
	ID         uint `gorm:"primaryKey"`
	SalonID    uint `gorm:"index"`
	CustomerID uint
	PetName    string
	GroomerID  uint
	StartsAt   time.Time
	Status     string // booked | completed | no_show
	PriceCents int
}

type Customer struct {
	ID            uint `gorm:"primaryKey"`
	SalonID       uint `gorm:"index"`
	Name          string
	LoyaltyPoints int
}

// Package is a grooming package from the franchise HQ catalogue (Full Groom,
// Bath & Brush, Puppy Intro...). Same catalogue for every salon and customer.
type Package struct {
	ID          uint `gorm:"primaryKey"`
	Name        string
	DurationMin int
	BasePrice   int
}

var ErrNotBookable = errors.New("appointment is not in booked state")

// ---- repository -------------------------------------------------------------

type Repo struct{ db *gorm.DB }

func (r *Repo) DayAppointments(ctx context.Context, salonID uint, day time.Time) ([]Appointment, error) {
	var out []Appointment
	err := r.db.WithContext(ctx).
		Where("salon_id = ? AND starts_at >= ? AND starts_at < ?", salonID, day, day.Add(24*time.Hour)).
		Order("starts_at").Limit(300).Find(&out).Error
	return out, err
}

func (r *Repo) Appointment(ctx context.Context, id uint) (*Appointment, error) {
	var a Appointment
	if err := r.db.WithContext(ctx).First(&a, id).Error; err != nil {
		return nil, err
	}
	return &a, nil
}

// ---- service ----------------------------------------------------------------

type Service struct {
	db    *gorm.DB
	repo  *Repo
	cache *gocache.Cache // gocache.New(10*time.Minute, 20*time.Minute)
}

// Complete marks an appointment done and awards 1 loyalty point per euro.
func (s *Service) Complete(ctx context.Context, salonID, apptID uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a Appointment
		if err := tx.Where("id = ? AND salon_id = ?", apptID, salonID).First(&a).Error; err != nil {
			return err
		}
		res := tx.Model(&Appointment{}).
			Where("id = ? AND salon_id = ? AND status = ?", apptID, salonID, "booked").
			Update("status", "completed")
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotBookable
		}

		var c Customer
		if err := tx.Where("id = ? AND salon_id = ?", a.CustomerID, salonID).First(&c).Error; err != nil {
			return err
		}
		c.LoyaltyPoints += a.PriceCents / 100
		return tx.Save(&c).Error
	})
}

// Packages returns the HQ package catalogue for the booking screen.
func (s *Service) Packages(ctx context.Context, userID uint) ([]Package, error) {
	key := fmt.Sprintf("packages:user:%d", userID)
	if v, ok := s.cache.Get(key); ok {
		return v.([]Package), nil
	}
	var pkgs []Package
	if err := s.db.WithContext(ctx).Order("name").Find(&pkgs).Error; err != nil {
		return nil, err
	}
	s.cache.Set(key, pkgs, gocache.DefaultExpiration)
	return pkgs, nil
}

// ---- handlers (gin) -----------------------------------------------------------
// AuthMiddleware sets "salon_id" and "user_id" from the staff JWT.

func RegisterRoutes(r *gin.RouterGroup, svc *Service) {
	r.GET("/appointments/:id", func(c *gin.Context) {
		id, _ := strconv.Atoi(c.Param("id"))
		a, err := svc.repo.Appointment(c.Request.Context(), uint(id))
		if err != nil {
			c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
			return
		}
		c.JSON(http.StatusOK, a)
	})
	r.POST("/appointments/:id/complete", func(c *gin.Context) {
		id, _ := strconv.Atoi(c.Param("id"))
		if err := svc.Complete(c.Request.Context(), c.GetUint("salon_id"), uint(id)); err != nil {
			c.JSON(http.StatusConflict, gin.H{"error": err.Error()})
			return
		}
		c.Status(http.StatusNoContent)
	})
	r.GET("/packages", func(c *gin.Context) {
		pkgs, err := svc.Packages(c.Request.Context(), c.GetUint("user_id"))
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load packages"})
			return
		}
		c.JSON(http.StatusOK, pkgs)
	})
}
