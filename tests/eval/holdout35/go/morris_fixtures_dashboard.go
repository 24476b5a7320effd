package fixtures

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
)

type SideStanding struct {
	SideID      int64   `db:"side_id" json:"side_id"`
	SideName    string  `db:"side_name" json:"side_name"`
	DanceOuts   int     `db:"dance_outs" json:"dance_outs"`
	Dancers     int     `db:"dancers" json:"avg_dancers"`
	PubStops    int     `db:"pub_stops" json:"pub_stops"`
	MilesWalked float64 `db:"miles" json:"miles"`
}

type Dashboard struct {
	DB    *sqlx.DB
	Redis *redis.Client
	HTTP  *http.Client // built in main with Timeout: 10s
	Log   *slog.Logger
}

const seasonTTL = 10 * time.Minute

// Season serves the joint-fixtures season table shown on every side's
// homepage widget. The numbers come from every fixture and attendance
// sheet of the season, so the result is kept in Redis for ten minutes.
func (d *Dashboard) Season(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	season := r.URL.Query().Get("season")
	if season == "" {
		season = fmt.Sprint(time.Now().Year())
	}
	key := "morris:season-table:" + season

	if raw, err := d.Redis.Get(ctx, key).Bytes(); err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(raw)
		return
	} else if !errors.Is(err, redis.Nil) {
		d.Log.Warn("season table cache read", "err", err)
	}

	var rows []SideStanding
	err := d.DB.SelectContext(ctx, &rows, `
		SELECT s.id AS side_id, s.name AS side_name,
		       count(DISTINCT f.id)                    AS dance_outs,
		       coalesce(avg(a.dancers_present), 0)::int AS dancers,
		       count(DISTINCT f.pub_id)                AS pub_stops,
		       coalesce(sum(f.route_miles), 0)          AS miles
		  FROM sides s
		  JOIN fixture_sides fs ON fs.side_id = s.id
		  JOIN fixtures f       ON f.id = fs.fixture_id
		  LEFT JOIN attendance a ON a.fixture_id = f.id AND a.side_id = s.id
		 WHERE f.season = $1
		 GROUP BY s.id, s.name
		 ORDER BY dance_outs DESC, s.name
		 LIMIT 100`, season)
	if err != nil {
		d.Log.Error("season table query", "season", season, "err", err)
		http.Error(w, "could not build season table", http.StatusInternalServerError)
		return
	}

	raw, err := json.Marshal(rows)
	if err != nil {
		http.Error(w, "encode failed", http.StatusInternalServerError)
		return
	}
	if err := d.Redis.Set(ctx, key, raw, seasonTTL).Err(); err != nil {
		d.Log.Warn("season table cache write", "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(raw)
}

// PullFederationFixtures imports the Morris Federation's published day-of-
// dance list; called from the nightly ticker in main.
func (d *Dashboard) PullFederationFixtures(ctx context.Context, url string) ([]byte, error) {
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := d.HTTP.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			defer resp.Body.Close()
			var buf json.RawMessage
			if err := json.NewDecoder(resp.Body).Decode(&buf); err != nil {
				return nil, fmt.Errorf("federation feed: decode: %w", err)
			}
			return buf, nil
		}
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		lastErr = err
		d.Log.Warn("federation feed attempt failed", "attempt", attempt, "err", err)
		time.Sleep(2 * time.Second)
	}
	return nil, fmt.Errorf("federation feed: giving up: %w", lastErr)
}
