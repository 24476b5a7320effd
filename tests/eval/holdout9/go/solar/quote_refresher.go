// cmd/quote-refresher: nightly job (Kubernetes CronJob, one pod) that re-prices
// open solar installation quotes after the panel supplier updates its price list.
package main

import (
	"context"
	"log"
	"os"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type quote struct {
	ID         int64   `db:"id"`
	PanelSKU   string  `db:"panel_sku"`
	PanelCount int     `db:"panel_count"`
	LaborHours float64 `db:"labor_hours"`
}

const (
	pageSize  = 500
	laborRate = 85.0
)

func main() {
	db := sqlx.MustConnect("postgres", os.Getenv("DATABASE_URL"))
	db.SetMaxOpenConns(8)
	defer db.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Minute)
	defer cancel()

	pages := make(chan []quote)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for page := range pages {
				if err := repricePage(ctx, db, page); err != nil {
					log.Printf("reprice page starting at %d: %v", page[0].ID, err)
				}
			}
		}()
	}

	var lastID int64
	for {
		var page []quote
		err := db.SelectContext(ctx, &page, `
			SELECT id, panel_sku, panel_count, labor_hours
			  FROM quotes
			 WHERE status = 'open' AND id > $1
			 ORDER BY id
			 LIMIT $2`, lastID, pageSize)
		if err != nil {
			log.Fatalf("load quotes after %d: %v", lastID, err)
		}
		if len(page) == 0 {
			break
		}
		pages <- page
		lastID = page[len(page)-1].ID
	}
	close(pages)
	wg.Wait()
	log.Println("quote refresh done")
}

// repricePage runs exactly two statements per page: one price lookup for all
// SKUs on the page and one bulk UPDATE via unnest.
func repricePage(ctx context.Context, db *sqlx.DB, page []quote) error {
	skus := make([]string, 0, len(page))
	for _, q := range page {
		skus = append(skus, q.PanelSKU)
	}

	var rows []struct {
		SKU   string  `db:"sku"`
		Price float64 `db:"unit_price"`
	}
	if err := db.SelectContext(ctx, &rows,
		`SELECT sku, unit_price FROM panel_prices WHERE sku = ANY($1)`, pq.Array(skus)); err != nil {
		return err
	}
	prices := make(map[string]float64, len(rows))
	for _, r := range rows {
		prices[r.SKU] = r.Price
	}

	ids := make([]int64, 0, len(page))
	totals := make([]float64, 0, len(page))
	for _, q := range page {
		ids = append(ids, q.ID)
		totals = append(totals, prices[q.PanelSKU]*float64(q.PanelCount)+q.LaborHours*laborRate)
	}
	_, err := db.ExecContext(ctx, `
		UPDATE quotes q
		   SET total_usd = v.total, repriced_at = now()
		  FROM unnest($1::bigint[], $2::numeric[]) AS v(id, total)
		 WHERE q.id = v.id`, pq.Array(ids), pq.Array(totals))
	return err
}
