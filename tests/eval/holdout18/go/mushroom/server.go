package main

// growroom-server: single binary on the farm's NUC (one process, systemd unit).
// Sensors POST readings every 30s; the wall tablets poll /rooms/{id}/summary.

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"
)

type SensorMeta struct {
	Room string
	Kind string // co2 | rh | temp
}

type RoomSummary struct {
	Room     string             `json:"room"`
	Averages map[string]float64 `json:"averages"`
	AsOf     time.Time          `json:"as_of"`
}

var (
	pool *pgxpool.Pool
	// sensorMeta is loaded once in main() before the server starts and never
	// written afterwards (~60 sensors). Adding a sensor means a restart.
	sensorMeta map[string]SensorMeta

	summaries = lru.NewLRU[string, RoomSummary](64, nil, 20*time.Second)
	sumGroup  singleflight.Group

	// each grower's own alert thresholds
	alertPrefs = lru.NewLRU[int64, map[string]float64](256, nil, 5*time.Minute)
)

func roomSummary(ctx context.Context, room string) (RoomSummary, error) {
	if s, ok := summaries.Get(room); ok {
		return s, nil
	}
	v, err, _ := sumGroup.Do(room, func() (any, error) {
		rows, err := pool.Query(ctx, `
			SELECT kind, avg(value) FROM readings
			WHERE room = $1 AND taken_at > now() - interval '1 hour'
			GROUP BY kind`, room)
		if err != nil {
			return nil, err
		}
		avgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct {
			K string
			V float64
		}, error) {
			var x struct {
				K string
				V float64
			}
			return x, r.Scan(&x.K, &x.V)
		})
		if err != nil {
			return nil, err
		}
		s := RoomSummary{Room: room, Averages: map[string]float64{}, AsOf: time.Now()}
		for _, a := range avgs {
			s.Averages[a.K] = a.V
		}
		summaries.Add(room, s)
		return s, nil
	})
	if err != nil {
		return RoomSummary{}, err
	}
	return v.(RoomSummary), nil
}

func userThresholds(ctx context.Context, userID int64) (map[string]float64, error) {
	if t, ok := alertPrefs.Get(userID); ok {
		return t, nil
	}
	t := map[string]float64{}
	rows, err := pool.Query(ctx, `SELECT kind, max_value FROM alert_thresholds WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		t[k] = v
	}
	alertPrefs.Add(userID, t)
	return t, rows.Err()
}

func main() {
	var err error
	if pool, err = pgxpool.New(context.Background(), os.Getenv("DATABASE_URL")); err != nil {
		log.Fatal(err)
	}
	sensorMeta = loadSensorMeta(context.Background()) // SELECT id, room, kind FROM sensors
	http.HandleFunc("GET /rooms/{id}/summary", func(w http.ResponseWriter, r *http.Request) {
		s, err := roomSummary(r.Context(), r.PathValue("id"))
		if err != nil {
			log.Printf("summary %s: %v", r.PathValue("id"), err)
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		json.NewEncoder(w).Encode(s)
	})
	log.Fatal(http.ListenAndServe(":8090", nil))
}
