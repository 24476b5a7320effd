package hedgerow

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"

	"github.com/lib/pq"
)

// SurveyKit posts a webhook each time a volunteer syncs their phone after
// walking a hedgerow transect. Deliveries are at-least-once, so every event
// id is recorded in webhook_events before anything is written.
type SightingsHook struct {
	DB     *sql.DB
	Secret []byte
}

type surveyUpload struct {
	EventID   string     `json:"event_id"`
	GroupID   int64      `json:"survey_group_id"`
	Transect  string     `json:"transect_code"`
	Volunteer string     `json:"volunteer_ref"`
	Sightings []sighting `json:"sightings"`
}

type sighting struct {
	Species string `json:"species_code"`
	Count   int    `json:"count"`
	Metre   int    `json:"metre_mark"`
}

func (h *SightingsHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<10))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get("X-SurveyKit-Signature"))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var up surveyUpload
	if err := json.Unmarshal(body, &up); err != nil || up.EventID == "" {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	ctx := r.Context()
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("surveykit %s: begin: %v", up.EventID, err)
		http.Error(w, "retry", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `
		INSERT INTO webhook_events (provider, event_id, received_at)
		VALUES ('surveykit', $1, now())
		ON CONFLICT (provider, event_id) DO NOTHING`, up.EventID)
	if err != nil {
		log.Printf("surveykit %s: record event: %v", up.EventID, err)
		http.Error(w, "retry", http.StatusServiceUnavailable)
		return
	}
	n, err := res.RowsAffected()
	if err != nil {
		log.Printf("surveykit %s: rows affected: %v", up.EventID, err)
		http.Error(w, "retry", http.StatusServiceUnavailable)
		return
	}
	if n == 0 {
		w.WriteHeader(http.StatusOK) // already processed
		return
	}

	// One round trip for all species codes in the upload.
	codes := make([]string, 0, len(up.Sightings))
	for _, s := range up.Sightings {
		codes = append(codes, s.Species)
	}
	known := map[string]bool{}
	rows, err := tx.QueryContext(ctx,
		`SELECT code FROM species WHERE code = ANY($1) LIMIT 500`, pq.Array(codes))
	if err != nil {
		log.Printf("surveykit %s: species lookup: %v", up.EventID, err)
		http.Error(w, "retry", http.StatusServiceUnavailable)
		return
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			log.Printf("surveykit %s: species scan: %v", up.EventID, err)
			http.Error(w, "retry", http.StatusServiceUnavailable)
			return
		}
		known[c] = true
	}
	rows.Close()

	if _, err := tx.ExecContext(ctx, `
		INSERT INTO hedgerow_sightings (survey_group_id, event_id, transect_code, volunteer_ref, species_code, count, metre_mark)
		SELECT $1, $2, $3, $4, s.code, s.cnt, s.metre
		  FROM unnest($5::text[], $6::int[], $7::int[]) AS s(code, cnt, metre)`,
		up.GroupID, up.EventID, up.Transect, up.Volunteer,
		pq.Array(filterCodes(up.Sightings, known)), pq.Array(counts(up.Sightings, known)), pq.Array(metres(up.Sightings, known))); err != nil {
		log.Printf("surveykit %s: insert sightings: %v", up.EventID, err)
		http.Error(w, "retry", http.StatusServiceUnavailable)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("surveykit %s: commit: %v", up.EventID, err)
		http.Error(w, "retry", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}
