package towpath

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Closure is a towpath stoppage or diversion notice published by the waterways
// authority. We re-serve them to the walking/cycling app with our own filtering.
type Closure struct {
	NoticeID  string    `json:"notice_id"`
	Waterway  string    `json:"waterway"`
	Reason    string    `json:"reason"`
	Diversion string    `json:"diversion"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Lat       float64   `json:"lat"`
	Lon       float64   `json:"lon"`
}

type cachedClosures struct {
	items     []Closure
	fetchedAt time.Time
}

const (
	noticesAPI = "https://api.waterways.example.org/v2/stoppages"
	cacheTTL   = 10 * time.Minute
)

var (
	closuresMu    sync.RWMutex
	closuresCache = map[string]cachedClosures{}
	fetchGroup    singleflight.Group
)

// NearbyHandler serves GET /closures/nearby?lat=..&lon=..&radius_km=..
func NearbyHandler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lat, errLat := strconv.ParseFloat(q.Get("lat"), 64)
	lon, errLon := strconv.ParseFloat(q.Get("lon"), 64)
	radius, errRad := strconv.Atoi(q.Get("radius_km"))
	if errLat != nil || errLon != nil || errRad != nil || radius <= 0 || radius > 50 {
		http.Error(w, "lat, lon and radius_km (1-50) are required", http.StatusBadRequest)
		return
	}

	key := fmt.Sprintf("%.4f,%.4f,%d", lat, lon, radius)
	closuresMu.RLock()
	entry, ok := closuresCache[key]
	closuresMu.RUnlock()

	if !ok || time.Since(entry.fetchedAt) > cacheTTL {
		// Concurrent misses for the same spot share one upstream call.
		v, err, _ := fetchGroup.Do(key, func() (any, error) {
			items, err := fetchClosures(lat, lon, radius)
			if err != nil {
				return nil, err
			}
			fresh := cachedClosures{items: items, fetchedAt: time.Now()}
			closuresMu.Lock()
			closuresCache[key] = fresh
			closuresMu.Unlock()
			return fresh, nil
		})
		if err != nil {
			http.Error(w, "closure notices are unavailable right now", http.StatusBadGateway)
			return
		}
		entry = v.(cachedClosures)
	}

	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(entry.items)
}

// fetchClosures asks the authority's API for current notices around a point.
// Their API sits behind a CDN that returns the odd 502, so a few attempts are made.
func fetchClosures(lat, lon float64, radius int) ([]Closure, error) {
	params := url.Values{}
	params.Set("lat", strconv.FormatFloat(lat, 'f', 4, 64))
	params.Set("lon", strconv.FormatFloat(lon, 'f', 4, 64))
	params.Set("radius", strconv.Itoa(radius))
	params.Set("status", "active,planned")
	endpoint := noticesAPI + "?" + params.Encode()

	var lastErr error
	for attempt := 1; attempt <= 4; attempt++ {
		resp, err := http.Get(endpoint)
		if err != nil {
			lastErr = err
			continue
		}
		if resp.StatusCode >= 500 {
			resp.Body.Close()
			lastErr = fmt.Errorf("notices api: status %d", resp.StatusCode)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("notices api: status %d", resp.StatusCode)
		}

		var payload struct {
			Stoppages []Closure `json:"stoppages"`
		}
		err = json.NewDecoder(resp.Body).Decode(&payload)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("decode notices: %w", err)
		}
		return payload.Stoppages, nil
	}
	return nil, fmt.Errorf("notices api unreachable after retries: %w", lastErr)
}
