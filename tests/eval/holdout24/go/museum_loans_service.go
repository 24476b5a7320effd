package loans

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Each museum on the platform is a tenant; every row carries museum_id.

type Object struct {
	ID         uint `gorm:"primaryKey"`
	MuseumID   uint `gorm:"index"`
	Accession  string
	Title      string
	Fragile    bool
	InsuredGBP int64
}

type Loan struct {
	ID           uint `gorm:"primaryKey"`
	MuseumID     uint `gorm:"index"`
	ObjectID     uint `gorm:"index"`
	Object       Object
	Borrower     string
	StartsOn     time.Time
	EndsOn       time.Time
	Status       string // requested, approved, out, returned, cancelled
	CourierNotes string
	CreatedAt    time.Time
}

var (
	ErrNotFound          = errors.New("not found")
	ErrObjectUnavailable = errors.New("object already committed to another loan for these dates")
)

type LoanRequest struct {
	ObjectID uint
	Borrower string
	StartsOn time.Time
	EndsOn   time.Time
}

type Service struct {
	db *gorm.DB
}

func NewService(db *gorm.DB) *Service { return &Service{db: db} }

// RequestLoan records an outgoing loan request for one of the museum's objects,
// provided the object is not already promised elsewhere for overlapping dates.
func (s *Service) RequestLoan(ctx context.Context, museumID uint, req LoanRequest) (*Loan, error) {
	if !req.EndsOn.After(req.StartsOn) {
		return nil, fmt.Errorf("loan must end after it starts")
	}
	db := s.db.WithContext(ctx)

	var obj Object
	if err := db.Where("id = ? AND museum_id = ?", req.ObjectID, museumID).First(&obj).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("load object: %w", err)
	}

	var overlapping int64
	if err := db.Model(&Loan{}).Where("museum_id = ? AND object_id = ? AND status IN ? AND starts_on < ? AND ends_on > ?", museumID, obj.ID, []string{"requested", "approved", "out"}, req.EndsOn, req.StartsOn).Count(&overlapping).Error; err != nil {
		return nil, fmt.Errorf("check overlapping loans: %w", err)
	}
	if overlapping > 0 {
		return nil, ErrObjectUnavailable
	}

	loan := &Loan{
		MuseumID: museumID,
		ObjectID: obj.ID,
		Borrower: req.Borrower,
		StartsOn: req.StartsOn,
		EndsOn:   req.EndsOn,
		Status:   "requested",
	}
	if err := db.Create(loan).Error; err != nil {
		return nil, fmt.Errorf("create loan: %w", err)
	}
	return loan, nil
}

// ListLoans returns one page of the museum's loans, most recent first.
func (s *Service) ListLoans(ctx context.Context, museumID uint, page, size int) ([]Loan, error) {
	if size <= 0 || size > 100 {
		size = 25
	}
	var loans []Loan
	err := s.db.WithContext(ctx).
		Where("museum_id = ?", museumID).
		Order("created_at DESC").
		Limit(size).Offset(page * size).
		Find(&loans).Error
	return loans, err
}

// GetLoan loads a loan with its object for the loan agreement page.
func (s *Service) GetLoan(ctx context.Context, museumID, loanID uint) (*Loan, error) {
	var loan Loan
	err := s.db.WithContext(ctx).Preload("Object").First(&loan, loanID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load loan %d: %w", loanID, err)
	}
	return &loan, nil
}
