// occupancy-report prints yesterday's peak occupancy per garage level and
// posts a summary to Slack. Run nightly from cron on the ops box:
//
//	0 6 * * * /opt/parking/bin/occupancy-report -slack
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/lib/pq"
)

type levelKey struct {
	garageID int64
	level    string
}

func main() {
	postSlack := flag.Bool("slack", false, "post summary to Slack")
	pageSize := flag.Int("page", 200, "garages per query")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	db, err := sql.Open("postgres", os.Getenv("PARKING_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// garage names for the printout; filled once, the process exits afterwards
	names := map[int64]string{}
	peaks := map[levelKey]int{}

	day := time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour)
	var lastID int64
	for {
		rows, err := db.QueryContext(ctx,
			`SELECT id, name FROM garages WHERE id > $1 AND active ORDER BY id LIMIT $2`, lastID, *pageSize)
		if err != nil {
			log.Fatalf("garages: %v", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				log.Fatal(err)
			}
			names[id] = name
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			break
		}
		lastID = ids[len(ids)-1]

		// one query for the whole page of garages
		prow, err := db.QueryContext(ctx, `
			SELECT garage_id, level, max(occupied_spots)
			  FROM occupancy_samples
			 WHERE garage_id = ANY($1) AND sampled_at >= $2 AND sampled_at < $2 + interval '1 day'
			 GROUP BY garage_id, level`, pq.Array(ids), day)
		if err != nil {
			log.Fatalf("occupancy: %v", err)
		}
		for prow.Next() {
			var k levelKey
			var peak int
			if err := prow.Scan(&k.garageID, &k.level, &peak); err != nil {
				log.Fatal(err)
			}
			peaks[k] = peak
		}
		prow.Close()
	}

	var sb strings.Builder
	fmt.Fprintf(&sb, "Peak occupancy %s\n", day.Format("2006-01-02"))
	for k, p := range peaks {
		fmt.Fprintf(&sb, "%-30s %-4s %5d\n", names[k.garageID], k.level, p)
	}
	fmt.Print(sb.String())

	if *postSlack {
		client := &http.Client{Timeout: 10 * time.Second}
		body, _ := json.Marshal(map[string]string{"text": "```" + sb.String() + "```"})
		resp, err := client.Post(os.Getenv("SLACK_WEBHOOK_URL"), "application/json", bytes.NewReader(body))
		if err != nil {
			log.Fatalf("slack: %v", err)
		}
		resp.Body.Close()
	}
}
