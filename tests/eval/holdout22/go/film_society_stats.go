package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// SeasonStats is the "this season" panel on the film society members' home page:
// attendance per screening, most-loved film, average rating.
type SeasonStats struct {
	Screenings    int                `json:"screenings"`
	Attendance    map[string]int     `json:"attendance"`
	AvgRating     float64            `json:"avg_rating"`
	FavouriteFilm string             `json:"favourite_film"`
	Extra         map[string]float64 `json:"extra,omitempty"`
}

type cachedStats struct {
	stats   *SeasonStats
	expires time.Time
}

var (
	statsMu    sync.RWMutex
	statsCache = make(map[string]cachedStats)
	statsGroup singleflight.Group
)

const statsTTL = 10 * time.Minute

type StatsHandler struct {
	DB *sql.DB
}

func (h *StatsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	member, ok := memberFromContext(r.Context())
	if !ok {
		http.Error(w, "sign in first", http.StatusUnauthorized)
		return
	}

	key := fmt.Sprintf("season-stats:%d:%d", member.SocietyID, member.ID)

	statsMu.RLock()
	c, hit := statsCache[key]
	statsMu.RUnlock()
	if hit && time.Now().Before(c.expires) {
		writeJSON(w, c.stats)
		return
	}

	v, err, _ := statsGroup.Do(key, func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		defer cancel()
		s, err := h.computeStats(ctx, member.SocietyID)
		if err != nil {
			return nil, err
		}
		statsMu.Lock()
		statsCache[key] = cachedStats{stats: s, expires: time.Now().Add(statsTTL)}
		statsMu.Unlock()
		return s, nil
	})
	if err != nil {
		log.Printf("season stats society=%d: %v", member.SocietyID, err)
		http.Error(w, "stats unavailable", http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, v)
}

func (h *StatsHandler) computeStats(ctx context.Context, societyID int64) (*SeasonStats, error) {
	s := &SeasonStats{Attendance: map[string]int{}}

	rows, err := h.DB.QueryContext(ctx, `
		SELECT f.title, count(a.member_id) AS seats
		  FROM screenings sc
		  JOIN films f ON f.id = sc.film_id
		  LEFT JOIN attendance a ON a.screening_id = sc.id
		 WHERE sc.society_id = $1 AND sc.season_id = current_season($1)
		 GROUP BY f.title`, societyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var title string
		var seats int
		if err := rows.Scan(&title, &seats); err != nil {
			return nil, err
		}
		s.Attendance[title] = seats
		s.Screenings++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	err = h.DB.QueryRowContext(ctx, `
		SELECT coalesce(avg(v.stars), 0),
		       coalesce((SELECT f.title FROM votes v2 JOIN screenings s2 ON s2.id = v2.screening_id
		                   JOIN films f ON f.id = s2.film_id
		                  WHERE s2.society_id = $1 AND s2.season_id = current_season($1)
		                  GROUP BY f.title ORDER BY avg(v2.stars) DESC LIMIT 1), '')
		  FROM votes v JOIN screenings sc ON sc.id = v.screening_id
		 WHERE sc.society_id = $1 AND sc.season_id = current_season($1)`, societyID).
		Scan(&s.AvgRating, &s.FavouriteFilm)
	return s, err
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("encode response: %v", err)
	}
}
