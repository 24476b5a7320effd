package rota

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Winding rota for parish clock towers: the turret clock needs winding once a
// week, and volunteers sign up for weeks. One database serves every parish in
// the diocese, so ParishID is part of every lookup.

var (
	ErrNotFound  = errors.New("shift not found")
	ErrTaken     = errors.New("week already has a winder")
	ErrNotYours  = errors.New("requester does not hold either shift")
	ErrPageLimit = errors.New("page size must be between 1 and 50")
)

type WindingShift struct {
	ID          uint      `gorm:"primaryKey"`
	ParishID    uint      `gorm:"not null;uniqueIndex:ux_parish_week"`
	WeekOf      time.Time `gorm:"type:date;not null;uniqueIndex:ux_parish_week"`
	VolunteerID *uint     `gorm:"index"`
	Notes       string
	UpdatedAt   time.Time
}

type RotaService struct {
	db *gorm.DB
}

func NewRotaService(db *gorm.DB) *RotaService { return &RotaService{db: db} }

// Upcoming lists the parish's coming weeks, one page at a time.
func (s *RotaService) Upcoming(ctx context.Context, parishID uint, page, size int) ([]WindingShift, error) {
	if size < 1 || size > 50 {
		return nil, ErrPageLimit
	}
	if page < 0 {
		page = 0
	}
	var shifts []WindingShift
	err := s.db.WithContext(ctx).
		Where("parish_id = ? AND week_of >= ?", parishID, time.Now().Truncate(24*time.Hour)).
		Order("week_of").
		Limit(size).
		Offset(page * size).
		Find(&shifts).Error
	if err != nil {
		return nil, fmt.Errorf("upcoming shifts for parish %d: %w", parishID, err)
	}
	return shifts, nil
}

// Claim puts a volunteer on an open week. The "still open" condition is in
// the UPDATE, so two volunteers tapping at once cannot both get the week.
func (s *RotaService) Claim(ctx context.Context, parishID, shiftID, volunteerID uint) error {
	res := s.db.WithContext(ctx).
		Model(&WindingShift{}).
		Where("id = ? AND parish_id = ? AND volunteer_id IS NULL", shiftID, parishID).
		Update("volunteer_id", volunteerID)
	if res.Error != nil {
		return fmt.Errorf("claim shift %d: %w", shiftID, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrTaken
	}
	return nil
}

// Swap exchanges the winders of two weeks, e.g. when someone is away. Both
// rows are locked in id order for the length of the transaction.
func (s *RotaService) Swap(ctx context.Context, parishID, shiftA, shiftB, requester uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var shifts []WindingShift
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("parish_id = ? AND id IN ?", parishID, []uint{shiftA, shiftB}).
			Order("id").
			Find(&shifts).Error
		if err != nil {
			return fmt.Errorf("lock shifts: %w", err)
		}
		if len(shifts) != 2 {
			return ErrNotFound
		}
		a, b := &shifts[0], &shifts[1]
		if !holds(a, requester) && !holds(b, requester) {
			return ErrNotYours
		}
		if err := setVolunteer(tx, parishID, a.ID, b.VolunteerID); err != nil {
			return err
		}
		return setVolunteer(tx, parishID, b.ID, a.VolunteerID)
	})
}

func setVolunteer(tx *gorm.DB, parishID, shiftID uint, volunteerID *uint) error {
	err := tx.Model(&WindingShift{}).
		Where("id = ? AND parish_id = ?", shiftID, parishID).
		Update("volunteer_id", volunteerID).Error
	if err != nil {
		return fmt.Errorf("update shift %d: %w", shiftID, err)
	}
	return nil
}

func holds(s *WindingShift, volunteerID uint) bool {
	return s.VolunteerID != nil && *s.VolunteerID == volunteerID
}
