// You're right that the original version had a race: it loaded the loan, subtracted
// the payment in Go and saved the struct back, so two payments posted at the same
// moment could overwrite each other. Here's the fixed version. The decrement now
// happens inside a single UPDATE, and the idempotency key from the payment processor
// is stored under a unique index so a re-delivered payment is applied only once.

package loans

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

var ErrOverpayment = errors.New("payment exceeds outstanding principal")

type Payment struct {
	ID             uint   `gorm:"primaryKey"`
	LoanID         uint   `gorm:"index"`
	IdempotencyKey string `gorm:"uniqueIndex"`
	AmountCents    int64
}

func ApplyPayment(ctx context.Context, db *gorm.DB, loanID uint, key string, amount int64) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&Payment{LoanID: loanID, IdempotencyKey: key, AmountCents: amount})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return nil // already applied
		}

		upd := tx.Model(&Loan{}).
			Where("id = ? AND principal_cents >= ?", loanID, amount).
			Update("principal_cents", gorm.Expr("principal_cents - ?", amount))
		if upd.Error != nil {
			return upd.Error
		}
		if upd.RowsAffected == 0 {
			return ErrOverpayment // rolls back the payment row too
		}
		return nil
	})
}
