// You're right that calling sql.Open inside each handler was the problem: every
// request built (and tore down) its own connection pool, which is why Postgres
// kept hitting max_connections during the morning rush. Here's the fixed
// version — one *sql.DB for the whole process, created in main and injected.
//
// (centre-api runs 4 pods behind the ingress; ingress proxy timeout is 60s)
package centreapi

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/go-chi/chi/v5"
	"github.com/jung-kurt/gofpdf"
	"github.com/redis/go-redis/v9"
)

type API struct {
	DB     *sql.DB // shared pool, configured once in main (SetMaxOpenConns(25))
	Redis  *redis.Client
	S3     *s3.Client
	Bucket string
}

func (a *API) Routes(r chi.Router) {
	r.Get("/centres/{id}/wait-time", a.waitTime)
	r.Post("/centres/{id}/annual-report", a.annualReport)
}

// waitTime is shown on the donor app home screen and on the lobby kiosks
// (kiosks refresh every 10s).
func (a *API) waitTime(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	centre := chi.URLParam(r, "id")
	key := "waittime:" + centre
	if v, err := a.Redis.Get(ctx, key).Result(); err == nil {
		w.Write([]byte(v))
		return
	}
	// median check-in → chair time over the last 30 days, by hour of day
	var minutes float64
	err := a.DB.QueryRowContext(ctx, `
		SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (seated_at - checked_in_at)) / 60)
		FROM checkins
		WHERE centre_id = $1
		  AND checked_in_at > now() - interval '30 days'
		  AND EXTRACT(HOUR FROM checked_in_at) = EXTRACT(HOUR FROM now())`, centre).Scan(&minutes)
	if err != nil {
		http.Error(w, "could not compute wait time", http.StatusInternalServerError)
		return
	}
	out, _ := json.Marshal(map[string]float64{"minutes": minutes})
	a.Redis.Set(ctx, key, out, 30*time.Second)
	w.Write(out)
}

// annualReport builds the regulator's annual donation summary PDF for a centre
// (one page per donor, ~15-40k donors per centre) and returns a download URL.
func (a *API) annualReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	centre := chi.URLParam(r, "id")
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))

	rows, err := a.DB.QueryContext(ctx, `
		SELECT donor_code, COUNT(*), SUM(volume_ml), MIN(donated_at), MAX(donated_at)
		FROM donations
		WHERE centre_id = $1 AND date_part('year', donated_at) = $2
		GROUP BY donor_code ORDER BY donor_code`, centre, year)
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetFont("Helvetica", "", 11)
	for rows.Next() {
		var code string
		var visits, ml int
		var first, last time.Time
		if err := rows.Scan(&code, &visits, &ml, &first, &last); err != nil {
			http.Error(w, "scan failed", http.StatusInternalServerError)
			return
		}
		pdf.AddPage()
		pdf.Cell(0, 8, fmt.Sprintf("Donor %s — %d donations, %d ml", code, visits, ml))
		pdf.Ln(8)
		pdf.Cell(0, 8, fmt.Sprintf("First: %s  Last: %s", first.Format("2006-01-02"), last.Format("2006-01-02")))
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		http.Error(w, "pdf failed", http.StatusInternalServerError)
		return
	}
	url := a.upload(ctx, fmt.Sprintf("reports/%s/%d.pdf", centre, year), buf.Bytes())
	json.NewEncoder(w).Encode(map[string]string{"url": url})
}

func (a *API) upload(ctx context.Context, key string, body []byte) string {
	_, putErr := a.S3.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(a.Bucket), Key: aws.String(key), Body: bytes.NewReader(body),
	})
	if putErr != nil {
		return ""
	}
	return fmt.Sprintf("https://%s.s3.amazonaws.com/%s", a.Bucket, key)
}
