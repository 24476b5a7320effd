package studio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
)

type KilnUtilisation struct {
	KilnID        int64   `db:"kiln_id" json:"kiln_id"`
	KilnName      string  `db:"kiln_name" json:"kiln_name"`
	Firings90d    int     `db:"firings_90d" json:"firings_90d"`
	AvgPeakC      float64 `db:"avg_peak_c" json:"avg_peak_c"`
	ShelfFillPct  float64 `db:"shelf_fill_pct" json:"shelf_fill_pct"`
	FailedFirings int     `db:"failed_firings" json:"failed_firings"`
}

type Glaze struct {
	Code     string `db:"code" json:"code"`
	Name     string `db:"name" json:"name"`
	Cone     string `db:"cone" json:"cone"`
	FoodSafe bool   `db:"food_safe" json:"food_safe"`
}

type Service struct {
	db  *sqlx.DB
	rdb *redis.Client
	log *slog.Logger
}

func NewService(db *sqlx.DB, rdb *redis.Client, log *slog.Logger) *Service {
	return &Service{db: db, rdb: rdb, log: log}
}

// Utilisation backs the studio dashboard tile. The aggregate scans every
// firing log row of the last 90 days (temperature curves included), so it is
// cached in Redis for five minutes.
func (s *Service) Utilisation(ctx context.Context, studioID int64) ([]KilnUtilisation, error) {
	key := fmt.Sprintf("studio:%d:kiln-utilisation", studioID)
	if raw, err := s.rdb.Get(ctx, key).Bytes(); err == nil {
		var out []KilnUtilisation
		if json.Unmarshal(raw, &out) == nil {
			return out, nil
		}
	} else if !errors.Is(err, redis.Nil) {
		s.log.Warn("redis get", "key", key, "err", err)
	}

	var out []KilnUtilisation
	err := s.db.SelectContext(ctx, &out, `
		SELECT k.id AS kiln_id, k.name AS kiln_name,
		       count(f.id) AS firings_90d,
		       coalesce(avg(c.peak_c), 0) AS avg_peak_c,
		       coalesce(avg(f.shelf_slots_used::float / k.shelf_slots) * 100, 0) AS shelf_fill_pct,
		       count(f.id) FILTER (WHERE f.outcome = 'failed') AS failed_firings
		FROM kilns k
		LEFT JOIN firings f ON f.kiln_id = k.id AND f.started_at > now() - interval '90 days'
		LEFT JOIN LATERAL (
		    SELECT max(t.temp_c) AS peak_c FROM firing_temps t WHERE t.firing_id = f.id
		) c ON true
		WHERE k.studio_id = $1
		GROUP BY k.id, k.name
		ORDER BY k.name`, studioID)
	if err != nil {
		return nil, fmt.Errorf("kiln utilisation: %w", err)
	}
	if raw, err := json.Marshal(out); err == nil {
		if err := s.rdb.Set(ctx, key, raw, 5*time.Minute).Err(); err != nil {
			s.log.Warn("redis set", "key", key, "err", err)
		}
	}
	return out, nil
}

// Glazes returns the shared glaze catalogue shown in the "book a firing" form.
func (s *Service) Glazes(ctx context.Context, userID string) ([]Glaze, error) {
	key := "glazes:" + userID
	cached, err := s.rdb.Get(ctx, key).Bytes()
	if err == nil {
		var out []Glaze
		if json.Unmarshal(cached, &out) == nil {
			return out, nil
		}
	} else if !errors.Is(err, redis.Nil) {
		s.log.Warn("redis get", "key", key, "err", err)
	}

	var out []Glaze
	if err := s.db.SelectContext(ctx, &out,
		`SELECT code, name, cone, food_safe FROM glaze_catalogue WHERE active ORDER BY name LIMIT 500`); err != nil {
		return nil, fmt.Errorf("glaze catalogue: %w", err)
	}
	if raw, err := json.Marshal(out); err == nil {
		if err := s.rdb.Set(ctx, key, raw, time.Hour).Err(); err != nil {
			s.log.Warn("redis set", "key", key, "err", err)
		}
	}
	return out, nil
}
