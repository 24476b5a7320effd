package quotes

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Estimates for stained-glass repair quotes: glass prices come from the supplier's
// price API, labour is computed from the panel sizes and the amount of releading.

type Panel struct {
	GlassSKU    string  `json:"glass_sku"`
	AreaSqCm    float64 `json:"area_sq_cm"`
	LeadMetres  float64 `json:"lead_metres"`
	NeedsRelead bool    `json:"needs_relead"`
}

type QuoteRequest struct {
	WindowRef string  `json:"window_ref"`
	Panels    []Panel `json:"panels"`
}

type QuoteEstimate struct {
	GlassPence  int64     `json:"glass_pence"`
	LabourPence int64     `json:"labour_pence"`
	ComputedAt  time.Time `json:"computed_at"`
}

var (
	estimatesMu sync.RWMutex
	estimates   = map[string]QuoteEstimate{}
)

var supplierClient = &http.Client{Timeout: 8 * time.Second}

const supplierURL = "https://api.leadlight-supplies.example/v2/prices"

func (q QuoteRequest) key() string {
	h := sha1.New()
	for _, p := range q.Panels {
		fmt.Fprintf(h, "%s|%.1f|%.1f|%t;", p.GlassSKU, p.AreaSqCm, p.LeadMetres, p.NeedsRelead)
	}
	return q.WindowRef + ":" + hex.EncodeToString(h.Sum(nil))
}

// glassPrices returns pence per square centimetre for each SKU in one supplier call.
func glassPrices(ctx context.Context, skus []string) (map[string]float64, error) {
	sort.Strings(skus)
	u := supplierURL + "?sku=" + url.QueryEscape(strings.Join(skus, ","))

	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := supplierClient.Do(req)
		if err != nil || resp.StatusCode >= 500 {
			if err == nil {
				resp.Body.Close()
				err = fmt.Errorf("supplier status %d", resp.StatusCode)
			}
			lastErr = err
			time.Sleep(250 * time.Millisecond)
			continue
		}
		defer resp.Body.Close()

		var out map[string]float64
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return map[string]float64{}, nil
		}
		return out, nil
	}
	return nil, fmt.Errorf("supplier prices: %w", lastErr)
}

// Estimate is called from the quote builder page every time the restorer edits a panel.
func Estimate(ctx context.Context, req QuoteRequest) (QuoteEstimate, error) {
	key := req.key()
	estimatesMu.RLock()
	if est, ok := estimates[key]; ok {
		estimatesMu.RUnlock()
		return est, nil
	}
	estimatesMu.RUnlock()

	seen := map[string]bool{}
	var skus []string
	for _, p := range req.Panels {
		if !seen[p.GlassSKU] {
			seen[p.GlassSKU] = true
			skus = append(skus, p.GlassSKU)
		}
	}
	prices, err := glassPrices(ctx, skus)
	if err != nil {
		return QuoteEstimate{}, err
	}

	var est QuoteEstimate
	for _, p := range req.Panels {
		est.GlassPence += int64(p.AreaSqCm * prices[p.GlassSKU])
		labour := 1800 + p.LeadMetres*950 // setting-out plus leading per metre
		if p.NeedsRelead {
			labour *= 1.6
		}
		est.LabourPence += int64(labour)
	}
	est.ComputedAt = time.Now()

	estimatesMu.Lock()
	estimates[key] = est
	estimatesMu.Unlock()
	return est, nil
}
