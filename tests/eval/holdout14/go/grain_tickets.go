// scale-ticket service for the Prairie Co-op elevators (Wynyard, Foam Lake, Kelvington).
// Sits behind the ALB (idle timeout 60s).
package main

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/lib/pq"
	"github.com/xuri/excelize/v2"
)

var dsn = os.Getenv("DATABASE_URL")

type shrinkBand struct{ low, high, pct float64 }

// GET /tickets?id=123
func ticketHandler(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	defer db.Close()

	var grower, commodity string
	var gross, tare, moisture float64
	err = db.QueryRow(`SELECT grower_name, commodity, gross_lb, tare_lb, moisture_pct
		FROM scale_tickets WHERE id = $1`, r.URL.Query().Get("id")).Scan(&grower, &commodity, &gross, &tare, &moisture)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	fmt.Fprintf(w, "%s %s net=%.0f lb moisture=%.1f%%\n", grower, commodity, gross-tare, moisture)
}

// GET /settlement.xlsx?elevator=2&season=2024
// Settlement office pulls the whole season for an elevator into Excel.
func settlementExport(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	defer db.Close()
	elevator, season := r.URL.Query().Get("elevator"), r.URL.Query().Get("season")

	bands := loadShrinkBands(db, elevator)
	rows, err := db.Query(`SELECT id, weighed_at, grower_name, commodity, gross_lb, tare_lb, moisture_pct, dockage_pct
		FROM scale_tickets WHERE elevator_id = $1 AND season = $2 ORDER BY weighed_at`, elevator, season)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Ticket", "Weighed", "Grower", "Commodity", "Net lb", "Moisture", "Dockage", "Shrink lb", "Paid bu"})
	line := 2
	for rows.Next() { // 250-400k tickets per elevator per season
		var id int64
		var at time.Time
		var grower, commodity string
		var gross, tare, moist, dock float64
		if err := rows.Scan(&id, &at, &grower, &commodity, &gross, &tare, &moist, &dock); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		net := gross - tare
		shrink := net * shrinkPct(bands, moist) / 100
		paid := (net - shrink - net*dock/100) / 60 // wheat: 60 lb/bu
		cell, _ := excelize.CoordinatesToCellName(1, line)
		f.SetSheetRow("Sheet1", cell, &[]any{id, at, grower, commodity, net, moist, dock, shrink, paid})
		line++
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="settlement-%s-%s.xlsx"`, elevator, season))
	if err := f.Write(w); err != nil {
		log.Printf("write xlsx: %v", err)
	}
}

// loadShrinkBands reads the elevator's moisture discount schedule.
func loadShrinkBands(db *sql.DB, elevator string) []shrinkBand {
	rows, err := db.Query(`SELECT low_pct, high_pct, shrink_pct FROM moisture_schedule WHERE elevator_id = $1`, elevator)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []shrinkBand
	for rows.Next() {
		var b shrinkBand
		if rows.Scan(&b.low, &b.high, &b.pct) == nil {
			out = append(out, b)
		}
	}
	return out
}

func shrinkPct(bands []shrinkBand, moisture float64) float64 {
	for _, b := range bands {
		if moisture >= b.low && moisture < b.high {
			return b.pct
		}
	}
	return 0
}

func main() {
	http.HandleFunc("/tickets", ticketHandler)
	http.HandleFunc("/settlement.xlsx", settlementExport)
	log.Fatal(http.ListenAndServe(":8081", nil))
}
