// crewpay: weekly piece-rate payroll export for the orchard harvest crews.
//
// Run by the office manager on Monday morning (or from cron on the ops box):
//
//	crewpay -week 2024-09-09 -out crewpay-2024-09-09.csv
//
// Single process, runs for a minute and exits, so keeping the running totals
// in a map is fine.
package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/lib/pq"
)

type binTicket struct {
	ID       int64
	PickerID int64
	Variety  string
	Bins     float64
}

const pageSize = 2000

func main() {
	week := flag.String("week", "", "week start (YYYY-MM-DD)")
	out := flag.String("out", "crewpay.csv", "output file")
	flag.Parse()

	start, err := time.Parse("2006-01-02", *week)
	if err != nil {
		log.Fatalf("bad -week: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	db, err := sql.Open("postgres", os.Getenv("ORCHARD_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// piece rates per variety, read once; ~15 rows
	rates := map[string]float64{}
	rrows, err := db.QueryContext(ctx, `SELECT variety, cents_per_bin FROM piece_rates WHERE season = $1`, start.Year())
	if err != nil {
		log.Fatal(err)
	}
	for rrows.Next() {
		var v string
		var c float64
		if err := rrows.Scan(&v, &c); err != nil {
			log.Fatal(err)
		}
		rates[v] = c
	}
	rrows.Close()

	totals := map[int64]float64{} // picker id -> cents
	names := map[int64]string{}
	var lastID int64
	for {
		tickets, err := fetchPage(ctx, db, start, lastID)
		if err != nil {
			log.Fatal(err)
		}
		if len(tickets) == 0 {
			break
		}
		var pickerIDs []int64
		for _, t := range tickets {
			totals[t.PickerID] += t.Bins * rates[t.Variety]
			if _, ok := names[t.PickerID]; !ok {
				pickerIDs = append(pickerIDs, t.PickerID)
			}
		}
		// one lookup per page for pickers we haven't seen yet
		if err := loadNames(ctx, db, pickerIDs, names); err != nil {
			log.Fatal(err)
		}
		lastID = tickets[len(tickets)-1].ID
	}

	writeCSV(*out, totals, names)
}

func writeCSV(path string, totals map[int64]float64, names map[int64]string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"picker_id", "name", "gross_usd"})
	for id, cents := range totals {
		w.Write([]string{fmt.Sprint(id), names[id], fmt.Sprintf("%.2f", cents/100)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Fatal(err)
	}
}

func fetchPage(ctx context.Context, db *sql.DB, week time.Time, afterID int64) ([]binTicket, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT id, picker_id, variety, bins FROM bin_tickets
		 WHERE picked_at >= $1 AND picked_at < $2 AND id > $3
		 ORDER BY id LIMIT $4`, week, week.AddDate(0, 0, 7), afterID, pageSize)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []binTicket
	for rows.Next() {
		var t binTicket
		if err := rows.Scan(&t.ID, &t.PickerID, &t.Variety, &t.Bins); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func loadNames(ctx context.Context, db *sql.DB, ids []int64, into map[int64]string) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := db.QueryContext(ctx, `SELECT id, full_name FROM pickers WHERE id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		into[id] = n
	}
	return rows.Err()
}
