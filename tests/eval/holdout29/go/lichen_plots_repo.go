// Package survey is the data layer for the lichen survey platform. Each
// recording group (county lichen groups, park ranger teams) is its own org and
// every plot/observation row carries OrgID.
package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"
)

type Plot struct {
	ID         uint
	OrgID      uint
	SurveyorID uint
	Code       string // e.g. "NY-0412-B"
	GridRef    string
	Substrate  string // bark, rock, soil, wood
	CreatedAt  time.Time
}

type Observation struct {
	ID         uint
	OrgID      uint
	PlotID     uint
	Taxon      string
	CoverPct   float64
	RecordedAt time.Time
}

type PlotSummary struct {
	Plot
	LastTaxon    string    `json:"last_taxon"`
	LastRecorded time.Time `json:"last_recorded"`
}

type TaxonCount struct {
	Taxon     string  `json:"taxon"`
	Plots     int     `json:"plots"`
	MeanCover float64 `json:"mean_cover"`
}

type Repo struct {
	db  *gorm.DB
	rdb *redis.Client
}

// PlotsForSurveyor lists a surveyor's plots with their most recent record.
func (r *Repo) PlotsForSurveyor(ctx context.Context, orgID, surveyorID uint) ([]PlotSummary, error) {
	var plots []Plot
	if err := r.db.WithContext(ctx).
		Where("org_id = ? AND surveyor_id = ?", orgID, surveyorID).
		Order("code").Limit(200).Find(&plots).Error; err != nil {
		return nil, fmt.Errorf("plots for surveyor %d: %w", surveyorID, err)
	}

	out := make([]PlotSummary, 0, len(plots))
	for _, p := range plots {
		s := PlotSummary{Plot: p}
		var latest Observation
		err := r.db.WithContext(ctx).Where("org_id = ? AND plot_id = ?", orgID, p.ID).Order("recorded_at DESC").First(&latest).Error
		if err == nil {
			s.LastTaxon, s.LastRecorded = latest.Taxon, latest.RecordedAt
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, fmt.Errorf("latest observation plot %d: %w", p.ID, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// GetPlot loads a plot for the plot detail page (orgID comes from the session).
func (r *Repo) GetPlot(ctx context.Context, orgID, plotID uint) (*Plot, error) {
	var p Plot
	if err := r.db.WithContext(ctx).First(&p, plotID).Error; err != nil {
		return nil, fmt.Errorf("plot %d: %w", plotID, err)
	}
	return &p, nil
}

// TaxonFrequency backs the org's "commonest species" panel, shown on every
// surveyor's home screen. The aggregate scans the org's whole observation
// history (tens of millions of rows for the big county groups), so the result
// is kept in Redis for 10 minutes.
func (r *Repo) TaxonFrequency(ctx context.Context, orgID uint) ([]TaxonCount, error) {
	key := fmt.Sprintf("lichen:taxonfreq:%d", orgID)
	if raw, err := r.rdb.Get(ctx, key).Bytes(); err == nil {
		var cached []TaxonCount
		if json.Unmarshal(raw, &cached) == nil {
			return cached, nil
		}
	} else if !errors.Is(err, redis.Nil) {
		log.Printf("taxonfreq cache read org=%d: %v", orgID, err)
	}

	var counts []TaxonCount
	err := r.db.WithContext(ctx).Raw(`
		SELECT taxon, COUNT(DISTINCT plot_id) AS plots, AVG(cover_pct) AS mean_cover
		  FROM observations
		 WHERE org_id = ?
		 GROUP BY taxon
		 ORDER BY plots DESC
		 LIMIT 50`, orgID).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("taxon frequency org %d: %w", orgID, err)
	}

	if raw, err := json.Marshal(counts); err == nil {
		if err := r.rdb.Set(ctx, key, raw, 10*time.Minute).Err(); err != nil {
			log.Printf("taxonfreq cache write org=%d: %v", orgID, err)
		}
	}
	return counts, nil
}
