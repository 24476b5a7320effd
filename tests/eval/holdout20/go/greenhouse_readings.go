package readings

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

type Reading struct {
	SensorID   string    `json:"sensor_id"`
	RecordedAt time.Time `json:"recorded_at"`
	TempC      float64   `json:"temp_c"`
	HumidityPc float64   `json:"humidity_pct"`
	SoilMoist  float64   `json:"soil_moisture"`
}

type API struct{ DB *sql.DB }

type orgKey struct{}

// orgFromContext reads the organisation set by the API-key middleware.
func orgFromContext(r *http.Request) (int64, bool) {
	v, ok := r.Context().Value(orgKey{}).(int64)
	return v, ok
}

func (a *API) Routes(r chi.Router) {
	r.Post("/greenhouses/{ghID}/readings", a.ingest)
	r.Get("/greenhouses/{ghID}/readings", a.list)
}

// ingest accepts a batch (max 1000) from a gateway. Gateways resend batches they got
// no answer for; duplicates are ignored via the (sensor_id, recorded_at) primary key.
func (a *API) ingest(w http.ResponseWriter, r *http.Request) {
	orgID, ok := orgFromContext(r)
	if !ok {
		http.Error(w, "unauthorised", http.StatusUnauthorized)
		return
	}
	ghID := chi.URLParam(r, "ghID")
	var batch []Reading
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 2<<20)).Decode(&batch); err != nil || len(batch) == 0 || len(batch) > 1000 {
		http.Error(w, "expected 1-1000 readings", http.StatusBadRequest)
		return
	}

	args := make([]any, 0, len(batch)*5+2)
	values := make([]string, 0, len(batch))
	for i, rd := range batch {
		n := i * 5
		values = append(values, fmt.Sprintf("($%d,$%d,$%d,$%d,$%d)", n+1, n+2, n+3, n+4, n+5))
		args = append(args, rd.SensorID, rd.RecordedAt, rd.TempC, rd.HumidityPc, rd.SoilMoist)
	}
	args = append(args, ghID, orgID)

	// Only sensors that belong to this greenhouse of this organisation are accepted.
	q := `INSERT INTO sensor_readings (sensor_id, recorded_at, temp_c, humidity_pct, soil_moisture)
	      SELECT v.sensor_id, v.recorded_at::timestamptz, v.temp_c::float8, v.humidity_pct::float8, v.soil_moisture::float8
	      FROM (VALUES ` + strings.Join(values, ",") + `) AS v(sensor_id, recorded_at, temp_c, humidity_pct, soil_moisture)
	      JOIN sensors s ON s.id = v.sensor_id AND s.greenhouse_id = $` + strconv.Itoa(len(args)-1) + ` AND s.org_id = $` + strconv.Itoa(len(args)) + `
	      ON CONFLICT (sensor_id, recorded_at) DO NOTHING`
	res, err := a.DB.ExecContext(r.Context(), q, args...)
	if err != nil {
		log.Printf("ingest greenhouse=%s org=%d: %v", ghID, orgID, err)
		http.Error(w, "could not store readings", http.StatusInternalServerError)
		return
	}
	stored, _ := res.RowsAffected()
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(map[string]int64{"received": int64(len(batch)), "stored": stored})
}

// list pages backwards through a greenhouse's readings, newest first.
func (a *API) list(w http.ResponseWriter, r *http.Request) {
	orgID, ok := orgFromContext(r)
	if !ok {
		http.Error(w, "unauthorised", http.StatusUnauthorized)
		return
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	before := time.Now()
	if b := r.URL.Query().Get("before"); b != "" {
		var err error
		if before, err = time.Parse(time.RFC3339Nano, b); err != nil {
			http.Error(w, "before must be RFC3339", http.StatusBadRequest)
			return
		}
	}
	rows, err := a.DB.QueryContext(r.Context(), `
		SELECT sr.sensor_id, sr.recorded_at, sr.temp_c, sr.humidity_pct, sr.soil_moisture
		FROM sensor_readings sr
		JOIN sensors s ON s.id = sr.sensor_id
		WHERE s.greenhouse_id = $1 AND s.org_id = $2 AND sr.recorded_at < $3
		ORDER BY sr.recorded_at DESC
		LIMIT $4`, chi.URLParam(r, "ghID"), orgID, before, limit)
	if err != nil {
		log.Printf("list readings: %v", err)
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	out := make([]Reading, 0, limit)
	for rows.Next() {
		var rd Reading
		if err := rows.Scan(&rd.SensorID, &rd.RecordedAt, &rd.TempC, &rd.HumidityPc, &rd.SoilMoist); err != nil {
			log.Printf("scan reading: %v", err)
			http.Error(w, "query failed", http.StatusInternalServerError)
			return
		}
		out = append(out, rd)
	}
	if err := rows.Err(); err != nil {
		log.Printf("rows: %v", err)
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
