package workshop

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RepairJob is one typewriter on the bench: a customer's Olympia SM3 needing
// a new platen, an Underwood 5 with a sticky escapement, and so on.
type RepairJob struct {
	ID          uint `gorm:"primaryKey"`
	WorkshopID  uint `gorm:"index:idx_jobs_workshop_status,priority:1;not null"`
	Status      string `gorm:"index:idx_jobs_workshop_status,priority:2;size:20"`
	Model       string
	SerialNo    string
	TechnicianID *uint
	ClaimedAt   *time.Time
	CreatedAt   time.Time
	Parts       []PartOrder `gorm:"foreignKey:JobID"`
}

type PartOrder struct {
	ID      uint `gorm:"primaryKey"`
	JobID   uint `gorm:"index"`
	Part    string
	Ordered time.Time
}

type JobRepo struct {
	db *gorm.DB
}

var ErrNoJobs = errors.New("no jobs waiting")

// ListOpen returns a page of open jobs for one workshop with their part
// orders. Preload loads all parts for the page in a single extra query.
func (r *JobRepo) ListOpen(parent context.Context, workshopID uint, page, pageSize int) ([]RepairJob, error) {
	if pageSize <= 0 || pageSize > 100 {
		pageSize = 25
	}
	ctx, cancel := context.WithTimeout(parent, 2*time.Second)
	defer cancel()

	var jobs []RepairJob
	err := r.db.WithContext(ctx).
		Preload("Parts").
		Where("workshop_id = ? AND status IN ?", workshopID, []string{"waiting", "on_bench", "awaiting_parts"}).
		Order("created_at").
		Limit(pageSize).
		Offset(page * pageSize).
		Find(&jobs).Error
	if err != nil {
		return nil, fmt.Errorf("list open jobs for workshop %d: %w", workshopID, err)
	}
	return jobs, nil
}

// ClaimNext hands the oldest waiting job to a technician. FOR UPDATE SKIP
// LOCKED means two technicians pressing "next job" together get different
// typewriters instead of the same one.
func (r *JobRepo) ClaimNext(parent context.Context, workshopID, technicianID uint) (*RepairJob, error) {
	ctx, cancel := context.WithTimeout(parent, 3*time.Second)
	defer cancel()

	var job RepairJob
	err := r.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("workshop_id = ? AND status = ?", workshopID, "waiting").
			Order("created_at").
			First(&job).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNoJobs
		}
		if err != nil {
			return err
		}
		now := time.Now()
		return tx.Model(&job).Updates(map[string]any{
			"status":        "on_bench",
			"technician_id": technicianID,
			"claimed_at":    now,
		}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim next job: %w", err)
	}
	return &job, nil
}
