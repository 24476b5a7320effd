package cart

import (
	"context"
	"fmt"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/expirable"
	"gorm.io/gorm"
)

// CartLine is one recipe kit in a customer's weekly box.
type CartLine struct {
	ID         uint `gorm:"primaryKey"`
	CustomerID uint `gorm:"index"`
	RecipeID   uint
	Servings   int
	Week       string
	Recipe     Recipe `gorm:"foreignKey:RecipeID"`
}

type Recipe struct {
	ID        uint
	Title     string
	PriceCents int
}

// CartService serves the "your box this week" panel. Each customer's box is
// different, so the cache key includes the customer id. Bounded LRU with TTL;
// writes invalidate the customer's entry.
type CartService struct {
	db    *gorm.DB
	cache *lru.LRU[string, []CartLine]
}

func NewCartService(db *gorm.DB) *CartService {
	return &CartService{
		db:    db,
		cache: lru.NewLRU[string, []CartLine](10_000, nil, 2*time.Minute),
	}
}

func cartKey(customerID uint, week string) string {
	return fmt.Sprintf("cart:%d:%s", customerID, week)
}

func (s *CartService) WeeklyBox(ctx context.Context, customerID uint, week string) ([]CartLine, error) {
	key := cartKey(customerID, week)
	if lines, ok := s.cache.Get(key); ok {
		return lines, nil
	}
	var lines []CartLine
	err := s.db.WithContext(ctx).
		Preload("Recipe").
		Where("customer_id = ? AND week = ?", customerID, week).
		Limit(20).
		Find(&lines).Error
	if err != nil {
		return nil, fmt.Errorf("load box for customer %d: %w", customerID, err)
	}
	s.cache.Add(key, lines)
	return lines, nil
}

func (s *CartService) SetServings(ctx context.Context, customerID, lineID uint, servings int, week string) error {
	res := s.db.WithContext(ctx).
		Model(&CartLine{}).
		Where("id = ? AND customer_id = ?", lineID, customerID).
		Update("servings", servings)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return gorm.ErrRecordNotFound
	}
	s.cache.Remove(cartKey(customerID, week))
	return nil
}
