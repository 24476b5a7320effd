// Great question! The N+1 came from calling layoutsFor(exhibitor.ID) inside the
// loop — 300 exhibitors meant 301 queries. The fix below:
//
//  1. pages exhibitors with keyset pagination (LIMIT, no OFFSET scans),
//  2. loads every layout for that page in ONE query with = ANY($2),
//  3. keeps the organiser_id filter on both queries,
//  4. bounds each request's DB work with context.WithTimeout.
package exhibitions

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type Exhibitor struct {
	ID      int64    `db:"id" json:"id"`
	Club    string   `db:"club_name" json:"club"`
	Stand   string   `db:"stand_no" json:"stand"`
	Layouts []Layout `db:"-" json:"layouts"`
}

type Layout struct {
	ExhibitorID int64  `db:"exhibitor_id" json:"-"`
	Name        string `db:"name" json:"name"`
	Gauge       string `db:"gauge" json:"gauge"`
	LengthM     int    `db:"length_m" json:"length_m"`
}

const pageSize = 50

type Repo struct{ DB *sqlx.DB }

// Page returns up to pageSize exhibitors after the given cursor, with layouts attached.
func (r *Repo) Page(ctx context.Context, organiserID, showID, afterID int64) ([]Exhibitor, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	var exs []Exhibitor
	if err := r.DB.SelectContext(ctx, &exs, `
		SELECT e.id, e.club_name, e.stand_no
		FROM exhibitors e
		WHERE e.organiser_id = $1 AND e.show_id = $2 AND e.id > $3
		ORDER BY e.id
		LIMIT $4`, organiserID, showID, afterID, pageSize); err != nil {
		return nil, err
	}
	if len(exs) == 0 {
		return exs, nil
	}
	ids := make([]int64, len(exs))
	for i, e := range exs {
		ids[i] = e.ID
	}
	var layouts []Layout
	if err := r.DB.SelectContext(ctx, &layouts, `
		SELECT l.exhibitor_id, l.name, l.gauge, l.length_m
		FROM layouts l
		WHERE l.organiser_id = $1 AND l.exhibitor_id = ANY($2)
		ORDER BY l.exhibitor_id, l.name`, organiserID, pq.Array(ids)); err != nil {
		return nil, err
	}
	byExhibitor := make(map[int64][]Layout, len(exs))
	for _, l := range layouts {
		byExhibitor[l.ExhibitorID] = append(byExhibitor[l.ExhibitorID], l)
	}
	for i := range exs {
		exs[i].Layouts = byExhibitor[exs[i].ID]
	}
	return exs, nil
}

// ExportCatalogue writes the printed-programme CSV. It runs from the nightly
// worker (not from an HTTP request) and walks the show one page at a time, so
// it costs two queries per 50 exhibitors instead of one per exhibitor.
func (r *Repo) ExportCatalogue(ctx context.Context, organiserID, showID int64, out io.Writer) error {
	w := csv.NewWriter(out)
	defer w.Flush()
	var after int64
	for {
		page, err := r.Page(ctx, organiserID, showID, after)
		if err != nil {
			return err
		}
		for _, e := range page {
			for _, l := range e.Layouts {
				if err := w.Write([]string{e.Stand, e.Club, l.Name, l.Gauge, strconv.Itoa(l.LengthM)}); err != nil {
					return err
				}
			}
		}
		if len(page) < pageSize {
			return w.Error()
		}
		after = page[len(page)-1].ID
	}
}
