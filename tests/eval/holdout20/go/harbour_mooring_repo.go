package moorings

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

var (
	ErrMooringTaken   = errors.New("mooring is not vacant")
	ErrVesselTooLarge = errors.New("vessel exceeds mooring length")
)

type Mooring struct {
	ID         int64   `gorm:"primaryKey"`
	HarbourID  int64   `gorm:"index:idx_moorings_harbour_pontoon,priority:1;not null"`
	Pontoon    string  `gorm:"index:idx_moorings_harbour_pontoon,priority:2"`
	Berth      string  `gorm:"not null"`
	MaxLengthM float64 `gorm:"not null"`
	Status     string  `gorm:"not null;default:vacant"` // vacant | occupied | maintenance
	VesselID   *int64
	UpdatedAt  time.Time
}

type Assignment struct {
	ID        int64 `gorm:"primaryKey"`
	HarbourID int64 `gorm:"not null"`
	MooringID int64 `gorm:"not null"`
	VesselID  int64 `gorm:"not null"`
	Nights    int   `gorm:"not null"`
	// One open assignment per mooring, enforced by a partial unique index in
	// migration 0031 (WHERE ended_at IS NULL).
	EndedAt   *time.Time
	CreatedAt time.Time
}

type Repo struct{ db *gorm.DB }

func NewRepo(db *gorm.DB) *Repo { return &Repo{db: db} }

// ListByHarbour pages through a harbour's moorings ordered by id.
func (r *Repo) ListByHarbour(ctx context.Context, harbourID, afterID int64, limit int) ([]Mooring, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var out []Mooring
	err := r.db.WithContext(ctx).
		Where("harbour_id = ? AND id > ?", harbourID, afterID).
		Order("id").
		Limit(limit).
		Find(&out).Error
	return out, err
}

// Assign puts a visiting vessel on a specific berth. The mooring row is locked
// for the duration of the transaction so two harbour-office terminals cannot
// hand out the same berth.
func (r *Repo) Assign(ctx context.Context, harbourID, mooringID, vesselID int64, lengthM float64, nights int) (*Assignment, error) {
	var a *Assignment
	err := r.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m Mooring
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("id = ? AND harbour_id = ?", mooringID, harbourID).
			First(&m).Error; err != nil {
			return fmt.Errorf("load mooring %d: %w", mooringID, err)
		}
		if m.Status != "vacant" {
			return ErrMooringTaken
		}
		if lengthM > m.MaxLengthM {
			return ErrVesselTooLarge
		}

		if err := tx.Model(&m).Updates(map[string]any{"status": "occupied", "vessel_id": vesselID}).Error; err != nil {
			return fmt.Errorf("occupy mooring %d: %w", mooringID, err)
		}
		a = &Assignment{HarbourID: harbourID, MooringID: mooringID, VesselID: vesselID, Nights: nights}
		if err := tx.Create(a).Error; err != nil {
			return fmt.Errorf("create assignment: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Release ends the open assignment and frees the berth.
func (r *Repo) Release(ctx context.Context, harbourID, mooringID int64) error {
	return r.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now()
		res := tx.Model(&Assignment{}).
			Where("harbour_id = ? AND mooring_id = ? AND ended_at IS NULL", harbourID, mooringID).
			Update("ended_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		return tx.Model(&Mooring{}).
			Where("id = ? AND harbour_id = ?", mooringID, harbourID).
			Updates(map[string]any{"status": "vacant", "vessel_id": nil}).Error
	})
}
