// quote-reprice re-rates open home-insurance quotes after a rate filing change.
// Run by hand (or from the release checklist) as a single process:
//
//	go run ./cmd/quote-reprice -state=TX -filing=2024-07
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type quote struct {
	ID        int64  `db:"id"`
	Territory string `db:"territory"`
	Coverage  int64  `db:"coverage_cents"`
}

// territory factors for this run; a state has at most a few hundred territories
var territoryFactors = map[string]float64{}

func main() {
	state := flag.String("state", "", "two-letter state")
	filing := flag.String("filing", "", "rate filing id")
	flag.Parse()

	db := sqlx.MustConnect("postgres", os.Getenv("DATABASE_URL"))
	defer db.Close()
	ctx := context.Background()

	var after int64
	total := 0
	for {
		var page []quote
		err := db.SelectContext(ctx, &page, `
			SELECT id, territory, coverage_cents FROM quotes
			 WHERE state = $1 AND status = 'open' AND id > $2
			 ORDER BY id LIMIT 500`, *state, after)
		if err != nil {
			log.Fatalf("page after %d: %v", after, err)
		}
		if len(page) == 0 {
			break
		}
		if err := repricePage(ctx, db, page, *filing); err != nil {
			log.Fatalf("page after %d: %v", after, err)
		}
		total += len(page)
		after = page[len(page)-1].ID
	}
	log.Printf("done; %d quotes re-rated across %d territories", total, len(territoryFactors))
}

// repricePage does one rating call (for territories not seen yet) and one
// UPDATE for the whole page.
func repricePage(ctx context.Context, db *sqlx.DB, quotes []quote, filing string) error {
	var missing []string
	seen := map[string]bool{}
	for _, q := range quotes {
		if _, ok := territoryFactors[q.Territory]; !ok && !seen[q.Territory] {
			seen[q.Territory] = true
			missing = append(missing, q.Territory)
		}
	}
	if len(missing) > 0 {
		factors, err := withBackoff(ctx, func() (map[string]float64, error) { return fetchFactors(ctx, filing, missing) })
		if err != nil {
			return err
		}
		for t, f := range factors {
			territoryFactors[t] = f
		}
	}

	ids, premiums := make([]int64, 0, len(quotes)), make([]int64, 0, len(quotes))
	for _, q := range quotes {
		if f, ok := territoryFactors[q.Territory]; ok {
			ids = append(ids, q.ID)
			premiums = append(premiums, int64(float64(q.Coverage)*f/1000))
		} else {
			log.Printf("quote %d: no factor for territory %s, left unchanged", q.ID, q.Territory)
		}
	}
	_, err := db.ExecContext(ctx, `
		UPDATE quotes q SET premium_cents = v.premium, filing_id = $3
		  FROM unnest($1::bigint[], $2::bigint[]) AS v(id, premium)
		 WHERE q.id = v.id`, pq.Array(ids), pq.Array(premiums), filing)
	return err
}

func withBackoff(ctx context.Context, fn func() (map[string]float64, error)) (map[string]float64, error) {
	delay := 200 * time.Millisecond
	var lastErr error
	for attempt := 1; attempt <= 6; attempt++ {
		v, err := fn()
		if err == nil {
			return v, nil
		}
		lastErr = err
		log.Printf("rating call attempt %d failed: %v", attempt, err)
		select {
		case <-time.After(delay/2 + time.Duration(rand.Int63n(int64(delay)))):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		delay = min(delay*2, 10*time.Second)
	}
	return nil, fmt.Errorf("rating engine unavailable after 6 attempts: %w", lastErr)
}

// fetchFactors (rating.go) POSTs the territory list to the rating engine's batch
// endpoint using a shared http.Client with a 15s timeout.
