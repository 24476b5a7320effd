// Command eta-notifier texts Dial-a-Ride passengers their minibus's ETA about
// twenty minutes before pickup. Single instance, wakes once a minute.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/lib/pq"
)

var (
	routingClient = &http.Client{}
	smsClient     = &http.Client{Timeout: 10 * time.Second}
	osrmBase      = os.Getenv("OSRM_URL") // self-hosted OSRM
	smsURL        = os.Getenv("SMS_GATEWAY_URL")
)

type trip struct {
	ID                   int64
	Mobile               string
	PickupLat, PickupLng float64
	BusLat, BusLng       float64
}

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	for range time.Tick(time.Minute) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
		if err := runOnce(ctx, db); err != nil {
			log.Printf("eta run: %v", err)
		}
		cancel()
	}
}

func runOnce(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `
		SELECT t.id, p.mobile, t.pickup_lat, t.pickup_lng, v.last_lat, v.last_lng
		  FROM trips t JOIN passengers p ON p.id = t.passenger_id JOIN vehicles v ON v.id = t.vehicle_id
		 WHERE t.status = 'scheduled' AND t.eta_sms_sent_at IS NULL
		   AND t.pickup_at BETWEEN now() AND now() + interval '25 minutes'
		 ORDER BY t.pickup_at LIMIT 100`)
	if err != nil {
		return fmt.Errorf("load trips: %w", err)
	}
	defer rows.Close()
	var trips []trip
	for rows.Next() {
		var t trip
		if err := rows.Scan(&t.ID, &t.Mobile, &t.PickupLat, &t.PickupLng, &t.BusLat, &t.BusLng); err != nil {
			return err
		}
		trips = append(trips, t)
	}
	if len(trips) == 0 {
		return nil
	}
	minutes, err := driveMinutes(trips)
	if err != nil {
		return err
	}
	msgs := make([]map[string]string, len(trips))
	ids := make([]int64, len(trips))
	for i, t := range trips {
		body := fmt.Sprintf("Dial-a-Ride: your bus is about %.0f minutes away.", minutes[i])
		msgs[i] = map[string]string{"to": t.Mobile, "body": body}
		ids[i] = t.ID
	}
	payload, err := json.Marshal(map[string]any{"messages": msgs})
	if err != nil {
		return err
	}
	resp, err := smsClient.Post(smsURL, "application/json", bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("sms batch: %w", err)
	}
	if resp.Body.Close(); resp.StatusCode >= 300 {
		return fmt.Errorf("sms batch: %s", resp.Status)
	}
	if _, err := db.ExecContext(ctx, `UPDATE trips SET eta_sms_sent_at = now() WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil
	}
	return nil
}

// driveMinutes asks OSRM's table service for bus -> pickup durations in one call.
func driveMinutes(trips []trip) ([]float64, error) {
	coords := make([]string, 0, 2*len(trips))
	for _, t := range trips {
		coords = append(coords, fmt.Sprintf("%f,%f", t.BusLng, t.BusLat), fmt.Sprintf("%f,%f", t.PickupLng, t.PickupLat))
	}
	url := fmt.Sprintf("%s/table/v1/driving/%s?annotations=duration", osrmBase, strings.Join(coords, ";"))
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		resp, err := routingClient.Get(url)
		if err != nil {
			lastErr = err
			continue
		}
		var body struct {
			Durations [][]*float64 `json:"durations"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			lastErr = fmt.Errorf("osrm status %s: %v", resp.Status, err)
			continue
		}
		out := make([]float64, len(trips))
		for i := range trips {
			if d := body.Durations[2*i][2*i+1]; d != nil {
				out[i] = *d / 60
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("osrm table after 5 attempts: %w", lastErr)
}
