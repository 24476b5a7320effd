package dashboard

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

// WardStats powers the tiles at the top of each hospital's dashboard:
// animals in care, admissions this week, average weight gain, releases.
// The numbers are per hospital (tenant) and identical for every carer there.

type WardStats struct {
	InCare         int       `json:"in_care"`
	AdmittedWeek   int       `json:"admitted_week"`
	AvgGainGrams   float64   `json:"avg_gain_grams"`
	ReleasedSeason int       `json:"released_season"`
	ComputedAt     time.Time `json:"computed_at"`
}

type StatsService struct {
	db    *sql.DB
	cache *expirable.LRU[int64, WardStats]
	group singleflight.Group
}

func NewStatsService(db *sql.DB) *StatsService {
	return &StatsService{
		db: db,
		// ~40 hospitals on the platform today; 512 leaves plenty of headroom.
		cache: expirable.NewLRU[int64, WardStats](512, nil, 2*time.Minute),
	}
}

// ForHospital returns cached stats; concurrent misses for the same hospital
// share one database round trip.
func (s *StatsService) ForHospital(ctx context.Context, hospitalID int64) (WardStats, error) {
	if st, ok := s.cache.Get(hospitalID); ok {
		return st, nil
	}
	v, err, _ := s.group.Do(strconv.FormatInt(hospitalID, 10), func() (any, error) {
		if st, ok := s.cache.Get(hospitalID); ok {
			return st, nil
		}
		qctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		st, err := s.compute(qctx, hospitalID)
		if err != nil {
			return WardStats{}, err
		}
		s.cache.Add(hospitalID, st)
		return st, nil
	})
	if err != nil {
		return WardStats{}, fmt.Errorf("ward stats for hospital %d: %w", hospitalID, err)
	}
	return v.(WardStats), nil
}

func (s *StatsService) compute(ctx context.Context, hospitalID int64) (WardStats, error) {
	var st WardStats
	err := s.db.QueryRowContext(ctx, `
		SELECT
		  count(*) FILTER (WHERE a.status IN ('intensive', 'recovering', 'overwintering')),
		  count(*) FILTER (WHERE a.admitted_at >= now() - interval '7 days'),
		  coalesce(avg(a.weight_grams - a.admission_weight_grams)
		           FILTER (WHERE a.status <> 'released'), 0),
		  count(*) FILTER (WHERE a.status = 'released' AND a.released_at >= date_trunc('year', now()))
		FROM admissions a
		WHERE a.hospital_id = $1
		  AND (a.status <> 'released' OR a.released_at >= date_trunc('year', now()))`,
		hospitalID).Scan(&st.InCare, &st.AdmittedWeek, &st.AvgGainGrams, &st.ReleasedSeason)
	if err != nil {
		return WardStats{}, err
	}
	st.ComputedAt = time.Now().UTC()
	return st, nil
}
