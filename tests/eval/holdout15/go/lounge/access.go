package lounge

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// lounge-gate service: door kiosks scan a boarding pass, we check eligibility
// with the loyalty platform and admit the guest if there's capacity.
// Runs on ECS behind the ALB, desired count 3 (one task per AZ).

var kioskNets = mustParseCIDRs("10.40.0.0/16", "10.41.0.0/16") // airport kiosk VLANs

// per-member throttle so one stolen card can't be tapped at every lounge door
var (
	memberMu       sync.Mutex
	memberLimiters = map[string]*rate.Limiter{}
)

var loyaltyClient = &http.Client{Timeout: 4 * time.Second}

// KioskOnly rejects requests that don't come from a lounge kiosk.
func KioskOnly() gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := c.Request.RemoteAddr
		if xff := c.GetHeader("X-Forwarded-For"); xff != "" {
			ip = strings.TrimSpace(strings.Split(xff, ",")[0])
		}
		host, _, err := net.SplitHostPort(ip)
		if err != nil {
			host = ip
		}
		if !inNets(net.ParseIP(host), kioskNets) {
			c.AbortWithStatusJSON(http.StatusForbidden, gin.H{"error": "not a lounge kiosk"})
			return
		}
		c.Next()
	}
}

func limiterFor(member string) *rate.Limiter {
	memberMu.Lock()
	defer memberMu.Unlock()
	l, ok := memberLimiters[member]
	if !ok {
		l = rate.NewLimiter(rate.Every(2*time.Minute), 2)
		memberLimiters[member] = l
	}
	return l
}

type entryReq struct {
	MemberNo string `json:"member_no" binding:"required"`
	Flight   string `json:"flight" binding:"required"`
	Guests   int    `json:"guests"`
}

func Entry(db *sql.DB, loyaltyURL string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req entryReq
		if err := c.ShouldBindJSON(&req); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		if !limiterFor(req.MemberNo).Allow() {
			c.JSON(http.StatusTooManyRequests, gin.H{"error": "card used too recently"})
			return
		}
		ok, err := eligible(c.Request.Context(), loyaltyURL, req.MemberNo, req.Flight)
		if err != nil {
			c.JSON(http.StatusBadGateway, gin.H{"error": "loyalty check unavailable, admit manually"})
			return
		}
		if !ok {
			c.JSON(http.StatusForbidden, gin.H{"error": "not eligible"})
			return
		}
		// capacity check and increment in one statement
		res, err := db.ExecContext(c, `UPDATE lounges SET occupancy = occupancy + $2
			WHERE code = $1 AND occupancy + $2 <= capacity`, c.Param("code"), 1+req.Guests)
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "db error"})
			return
		}
		if n, _ := res.RowsAffected(); n == 0 {
			c.JSON(http.StatusConflict, gin.H{"error": "lounge at capacity"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"admitted": 1 + req.Guests})
	}
}

func eligible(ctx context.Context, base, member, flight string) (bool, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet,
		fmt.Sprintf("%s/members/%s/lounge-eligibility?flight=%s", base, member, flight), nil)
	resp, err := loyaltyClient.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	var out struct{ Eligible bool `json:"eligible"` }
	err = json.NewDecoder(resp.Body).Decode(&out)
	return out.Eligible, err
}

func mustParseCIDRs(cidrs ...string) []*net.IPNet {
	var out []*net.IPNet
	for _, s := range cidrs {
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			panic(err)
		}
		out = append(out, n)
	}
	return out
}

func inNets(ip net.IP, nets []*net.IPNet) bool {
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}
