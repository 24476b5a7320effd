package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
)

// Homepage is the payload rendered above the fold on the storefront:
// promo banners and the featured category tiles. Merchandising edits these
// in the admin panel; they are the same for every shopper.
type Homepage struct {
	Banners    []Banner   `json:"banners"`
	Categories []Category `json:"categories"`
}

type Banner struct {
	ID       int64  `db:"id" json:"id"`
	ImageURL string `db:"image_url" json:"image_url"`
	Link     string `db:"link" json:"link"`
}

type Category struct {
	ID   int64  `db:"id" json:"id"`
	Name string `db:"name" json:"name"`
	Slug string `db:"slug" json:"slug"`
}

type Bestseller struct {
	ProductID int64  `db:"product_id" json:"product_id"`
	Name      string `db:"name" json:"name"`
	UnitsSold int64  `db:"units_sold" json:"units_sold"`
}

type Store struct {
	db  *sqlx.DB
	rdb *redis.Client
}

func NewStore(db *sqlx.DB, rdb *redis.Client) *Store {
	return &Store{db: db, rdb: rdb}
}

// GetHomepage returns the cached homepage payload for the signed-in shopper.
func (s *Store) GetHomepage(ctx context.Context, userID int64) (*Homepage, error) {
	key := fmt.Sprintf("storefront:homepage:user:%d", userID)

	if raw, err := s.rdb.Get(ctx, key).Bytes(); err == nil {
		var hp Homepage
		if json.Unmarshal(raw, &hp) == nil {
			return &hp, nil
		}
	}

	hp := &Homepage{}
	if err := s.db.SelectContext(ctx, &hp.Banners,
		`SELECT id, image_url, link FROM banners WHERE active AND now() BETWEEN starts_at AND ends_at ORDER BY position`); err != nil {
		return nil, err
	}
	if err := s.db.SelectContext(ctx, &hp.Categories,
		`SELECT id, name, slug FROM categories WHERE featured ORDER BY position LIMIT 12`); err != nil {
		return nil, err
	}

	raw, _ := json.Marshal(hp)
	s.rdb.Set(ctx, key, raw, 10*time.Minute)
	return hp, nil
}

const bestsellersKey = "storefront:bestsellers:30d"

// GetBestsellers powers the "Trending now" rail on every product page.
func (s *Store) GetBestsellers(ctx context.Context) ([]Bestseller, error) {
	raw, err := s.rdb.Get(ctx, bestsellersKey).Bytes()
	if err == nil {
		var out []Bestseller
		if err := json.Unmarshal(raw, &out); err == nil {
			return out, nil
		}
	} else if !errors.Is(err, redis.Nil) {
		return nil, err
	}

	// Cache miss: aggregate the last 30 days of order lines (~40M rows).
	var out []Bestseller
	err = s.db.SelectContext(ctx, &out, `
		SELECT oi.product_id, p.name, SUM(oi.quantity) AS units_sold
		FROM order_items oi
		JOIN orders o   ON o.id = oi.order_id
		JOIN products p ON p.id = oi.product_id
		WHERE o.status = 'paid' AND o.created_at > now() - interval '30 days'
		GROUP BY oi.product_id, p.name
		ORDER BY units_sold DESC
		LIMIT 20`)
	if err != nil {
		return nil, err
	}

	raw, _ = json.Marshal(out)
	if err := s.rdb.Set(ctx, bestsellersKey, raw, 5*time.Minute).Err(); err != nil {
		return nil, err
	}
	return out, nil
}
