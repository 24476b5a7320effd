// seedimport loads a seed-library inventory CSV (exported from the old Access
// database) into Postgres. Run once per library by a volunteer:
//
//	seedimport -library 12 -file inventory.csv
//
// Single process, runs to completion and exits.
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

const pageSize = 500

func main() {
	libraryID := flag.Int64("library", 0, "library id")
	file := flag.String("file", "", "inventory CSV")
	flag.Parse()

	db := sqlx.MustConnect("postgres", os.Getenv("DATABASE_URL"))
	defer db.Close()

	f, err := os.Open(*file)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	_, _ = r.Read() // header: variety,lot,grams,harvest_year

	// variety name -> id, filled as we go; lives only for this run.
	varietyIDs := map[string]int64{}

	var pending []string // variety names in this page we haven't resolved yet
	var raw [][]string
	total := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatalf("line %d: %v", total+2, err)
		}
		name := strings.TrimSpace(rec[0])
		if _, ok := varietyIDs[name]; !ok {
			varietyIDs[name] = 0 // placeholder until resolveVarieties fills it
			pending = append(pending, name)
		}
		raw = append(raw, rec)
		if len(raw) == pageSize {
			resolveVarieties(db, *libraryID, varietyIDs, pending)
			total += insertPage(db, *libraryID, varietyIDs, raw)
			raw, pending = raw[:0], pending[:0]
		}
	}
	if len(raw) > 0 {
		resolveVarieties(db, *libraryID, varietyIDs, pending)
		total += insertPage(db, *libraryID, varietyIDs, raw)
	}
	log.Printf("imported %d packets into library %d", total, *libraryID)
}

// resolveVarieties upserts the page's new variety names in one statement.
func resolveVarieties(db *sqlx.DB, lib int64, ids map[string]int64, names []string) {
	if len(names) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rows, err := db.QueryxContext(ctx, `
		INSERT INTO varieties (library_id, name)
		SELECT $1, unnest($2::text[])
		ON CONFLICT (library_id, name) DO UPDATE SET name = EXCLUDED.name
		RETURNING id, name`, lib, pq.Array(names))
	if err != nil {
		log.Fatalf("upsert varieties: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			log.Fatal(err)
		}
		ids[n] = id
	}
}

// insertPage writes one page of packets with a single INSERT ... unnest.
func insertPage(db *sqlx.DB, lib int64, ids map[string]int64, raw [][]string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := len(raw)
	vids, lots, grams, years := make([]int64, n), make([]string, n), make([]float64, n), make([]int64, n)
	for i, rec := range raw {
		vids[i], lots[i] = ids[strings.TrimSpace(rec[0])], rec[1]
		grams[i], _ = strconv.ParseFloat(rec[2], 64)
		years[i], _ = strconv.ParseInt(rec[3], 10, 64)
	}
	_, err := db.ExecContext(ctx, `
		INSERT INTO packets (library_id, variety_id, lot, grams, harvest_year)
		SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::float8[], $5::int[])
		ON CONFLICT (library_id, lot) DO NOTHING`,
		lib, pq.Array(vids), pq.Array(lots), pq.Array(grams), pq.Array(years))
	if err != nil {
		log.Fatalf("insert packets: %v", err)
	}
	return n
}
