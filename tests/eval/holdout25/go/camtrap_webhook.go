package camtrap

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/lib/pq"
)

// uploadEvent is what the object store POSTs after a batch of images from a
// wildlife camera trap has finished uploading.
type uploadEvent struct {
	EventID string `json:"event_id"`
	Objects []struct {
		Key        string    `json:"key"`
		TrapSerial string    `json:"trap_serial"`
		TakenAt    time.Time `json:"taken_at"`
		SizeBytes  int64     `json:"size_bytes"`
	} `json:"objects"`
}

func validSignature(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, []byte(os.Getenv("STORE_WEBHOOK_SECRET")))
	mac.Write(body)
	return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(sig))
}

// HandleUploadComplete registers new camera-trap images so the volunteers'
// species-tagging queue picks them up.
func HandleUploadComplete(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || !validSignature(body, r.Header.Get("X-Store-Signature")) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	var evt uploadEvent
	if err := json.Unmarshal(body, &evt); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	db, err := sql.Open("postgres", os.Getenv("CAMTRAP_DATABASE_URL"))
	if err != nil {
		log.Printf("open db: %v", err)
		http.Error(w, "db unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()

	var (
		trapIDs []int64
		keys    []string
		taken   []time.Time
	)
	for _, obj := range evt.Objects {
		var trapID int64
		err := db.QueryRowContext(ctx, `SELECT id FROM camera_traps WHERE serial = $1`, obj.TrapSerial).Scan(&trapID)
		if err != nil {
			log.Printf("unknown trap %s for %s: %v", obj.TrapSerial, obj.Key, err)
			continue
		}
		trapIDs = append(trapIDs, trapID)
		keys = append(keys, obj.Key)
		taken = append(taken, obj.TakenAt)
	}

	_, err = db.ExecContext(ctx, `
		INSERT INTO trap_images (trap_id, object_key, taken_at, status)
		SELECT t, k, ts, 'untagged'
		  FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS u(t, k, ts)`,
		pq.Array(trapIDs), pq.Array(keys), pq.Array(taken))
	if err != nil {
		log.Printf("insert images for event %s: %v", evt.EventID, err)
		http.Error(w, "insert failed", http.StatusInternalServerError)
		return
	}

	// Keep the per-trap counters on the survey map up to date.
	_, err = db.ExecContext(ctx, `
		UPDATE camera_traps c
		   SET images_total = images_total + u.n, last_upload_at = now()
		  FROM (SELECT t, count(*) AS n FROM unnest($1::bigint[]) AS t GROUP BY t) u
		 WHERE c.id = u.t`, pq.Array(trapIDs))
	if err != nil {
		log.Printf("update trap counters for event %s: %v", evt.EventID, err)
		http.Error(w, "counter update failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
