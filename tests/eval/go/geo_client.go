package geo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

type Location struct {
	Country string  `json:"country"`
	City    string  `json:"city"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
}

var client = &http.Client{Timeout: 4 * time.Second}

func Lookup(ctx context.Context, ip string) (*Location, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://geo.example.com/v1/"+ip, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var loc Location
	return &loc, json.NewDecoder(resp.Body).Decode(&loc)
}

func Timezone(lat, lon float64) (string, error) {
	resp, err := http.Get(fmt.Sprintf("https://tz.example.com/api?lat=%f&lon=%f", lat, lon))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Zone string `json:"zone"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	return out.Zone, nil
}
