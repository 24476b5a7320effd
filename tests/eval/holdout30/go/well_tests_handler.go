package wellreports

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	_ "github.com/lib/pq"
)

// Parish water-quality portal. Each parish council sees only its own wells;
// session middleware puts the parish id on the request context.

type WellTest struct {
	ID         int64     `json:"id"`
	WellID     int64     `json:"well_id"`
	SampledAt  time.Time `json:"sampled_at"`
	EColiCFU   int       `json:"e_coli_cfu"`
	NitrateMgL float64   `json:"nitrate_mg_l"`
	LabRef     string    `json:"lab_ref"`
}

type labResult struct {
	Reference string  `json:"reference"`
	EColi     int     `json:"e_coli_cfu_100ml"`
	Nitrate   float64 `json:"nitrate_mg_l"`
	Status    string  `json:"status"`
}

func parishFromContext(r *http.Request) int64 {
	v, _ := r.Context().Value("parish_id").(int64)
	return v
}

func openDB() (*sql.DB, error) {
	return sql.Open("postgres", os.Getenv("WELLS_DATABASE_URL"))
}

// GET /wells/{id}/tests — the 50 most recent samples for a well.
func ListWellTests(w http.ResponseWriter, r *http.Request) {
	db, err := openDB()
	if err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	wellID, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rows, err := db.QueryContext(r.Context(),
		`SELECT t.id, t.well_id, t.sampled_at, t.e_coli_cfu, t.nitrate_mg_l, t.lab_ref FROM well_tests t
		  WHERE t.well_id = $1
		  ORDER BY t.sampled_at DESC
		  LIMIT 50`, wellID)
	if err != nil {
		log.Printf("wells: list tests for %d: %v", wellID, err)
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	tests := make([]WellTest, 0, 50)
	for rows.Next() {
		var t WellTest
		if err := rows.Scan(&t.ID, &t.WellID, &t.SampledAt, &t.EColiCFU, &t.NitrateMgL, &t.LabRef); err != nil {
			http.Error(w, "scan failed", http.StatusInternalServerError)
			return
		}
		tests = append(tests, t)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(tests)
}

// POST /wells/{id}/tests/import?ref=LAB-2291 — pulls a finished result from
// the county lab's API and stores it against the well.
func ImportLabResult(w http.ResponseWriter, r *http.Request) {
	db, err := openDB()
	if err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	parishID := parishFromContext(r)
	wellID, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ref := r.URL.Query().Get("ref")

	var exists bool
	q := `SELECT EXISTS (SELECT 1 FROM wells WHERE id = $1 AND parish_id = $2)`
	if err := db.QueryRowContext(r.Context(), q, wellID, parishID).Scan(&exists); err != nil {
		log.Printf("wells: check well %d: %v", wellID, err)
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	if !exists {
		http.Error(w, "well not found", http.StatusNotFound)
		return
	}

	resp, err := http.Get(fmt.Sprintf("%s/v2/results/%s", os.Getenv("COUNTY_LAB_URL"), ref))
	if err != nil {
		log.Printf("wells: lab api: %v", err)
		http.Error(w, "lab unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()

	var res labResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || res.Status != "final" {
		log.Printf("wells: lab result %s not usable (status %q, err %v)", ref, res.Status, err)
		http.Error(w, "result not ready", http.StatusConflict)
		return
	}

	_, err = db.ExecContext(r.Context(),
		`INSERT INTO well_tests (well_id, parish_id, sampled_at, e_coli_cfu, nitrate_mg_l, lab_ref)
		 VALUES ($1, $2, now(), $3, $4, $5)
		 ON CONFLICT (lab_ref) DO NOTHING`, wellID, parishID, res.EColi, res.Nitrate, res.Reference)
	if err != nil {
		log.Printf("wells: insert lab result %s: %v", ref, err)
		http.Error(w, "could not save result", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}
