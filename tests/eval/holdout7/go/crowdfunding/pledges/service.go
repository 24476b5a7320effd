package pledges

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type Campaign struct {
	ID          uint
	Slug        string `gorm:"uniqueIndex"`
	GoalCents   int64
	RaisedCents int64
	BackerCount int
	FundedAt    *time.Time
	UpdatedAt   time.Time
}

type Pledge struct {
	ID          uint
	CampaignID  uint
	UserID      uint
	AmountCents int64
	Status      string // pending | captured | refunded
	ProviderRef string `gorm:"uniqueIndex"`
}

// ProcessedEvent records every payment-provider event we have applied so
// retried deliveries are ignored.
type ProcessedEvent struct {
	EventID    string `gorm:"primaryKey"`
	ReceivedAt time.Time
}

type Event struct {
	ID        string
	Type      string // payment.captured | payment.refunded
	PledgeRef string
}

var ErrUnknownEvent = errors.New("pledges: unknown event type")

type Service struct{ db *gorm.DB }

func NewService(db *gorm.DB) *Service { return &Service{db: db} }

// Apply applies a provider event exactly once. The event id is inserted in
// the same transaction as the effects, so a redelivery is a no-op.
func (s *Service) Apply(ctx context.Context, evt Event) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&ProcessedEvent{EventID: evt.ID, ReceivedAt: time.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return nil // already processed
		}
		switch evt.Type {
		case "payment.captured":
			return s.capture(tx, evt.PledgeRef)
		case "payment.refunded":
			return s.refund(tx, evt.PledgeRef)
		}
		return ErrUnknownEvent
	})
}

func (s *Service) capture(tx *gorm.DB, ref string) error {
	res := tx.Model(&Pledge{}).
		Where("provider_ref = ? AND status = ?", ref, "pending").
		Update("status", "captured")
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	var p Pledge
	if err := tx.Where("provider_ref = ?", ref).First(&p).Error; err != nil {
		return err
	}
	return tx.Model(&Campaign{}).Where("id = ?", p.CampaignID).Updates(map[string]any{
		"raised_cents": gorm.Expr("raised_cents + ?", p.AmountCents),
		"backer_count": gorm.Expr("backer_count + 1"),
		"funded_at":    gorm.Expr("CASE WHEN funded_at IS NULL AND raised_cents + ? >= goal_cents THEN now() ELSE funded_at END", p.AmountCents),
	}).Error
}

func (s *Service) refund(tx *gorm.DB, ref string) error {
	res := tx.Model(&Pledge{}).
		Where("provider_ref = ? AND status = ?", ref, "captured").
		Update("status", "refunded")
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	var p Pledge
	if err := tx.Where("provider_ref = ?", ref).First(&p).Error; err != nil {
		return err
	}

	var c Campaign
	if err := tx.First(&c, p.CampaignID).Error; err != nil {
		return err
	}
	c.RaisedCents -= p.AmountCents
	c.BackerCount--
	return tx.Save(&c).Error
}
