package grafting

import (
	"database/sql"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Heritage apple nursery: customers order scion wood grafted onto a rootstock
// of their choice. The catalogue changes only when the nursery edits varieties.

type Variety struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"` // e.g. "Ashmead's Kernel"
	Origin     string `json:"origin"`
	Rootstocks string `json:"rootstocks"` // "M27,M26,MM106"
	PricePence int    `json:"price_pence"`
	InStock    bool   `json:"in_stock"`
}

type catalogueEntry struct {
	varieties []Variety
	loadedAt  time.Time
}

var (
	catalogueMu    sync.RWMutex
	catalogueCache = make(map[string]catalogueEntry)
)

const catalogueTTL = 10 * time.Minute

type Server struct {
	DB        *sql.DB
	NurseryID int64
}

// GET /catalogue?season=2025
func (s *Server) Catalogue(c *gin.Context) {
	userID := c.GetInt64("user_id")
	season := c.DefaultQuery("season", fmt.Sprint(time.Now().Year()))
	key := fmt.Sprintf("catalogue:%d:%s", userID, season)

	catalogueMu.RLock()
	entry, ok := catalogueCache[key]
	catalogueMu.RUnlock()
	if ok && time.Since(entry.loadedAt) < catalogueTTL {
		c.JSON(http.StatusOK, entry.varieties)
		return
	}

	rows, err := s.DB.QueryContext(c.Request.Context(),
		`SELECT id, name, origin, rootstocks, price_pence, scions_remaining > 0
		   FROM apple_varieties
		  WHERE nursery_id = $1 AND season = $2 AND listed
		  ORDER BY name`, s.NurseryID, season)
	if err != nil {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "catalogue unavailable"})
		return
	}
	defer rows.Close()

	var out []Variety
	for rows.Next() {
		var v Variety
		if err := rows.Scan(&v.ID, &v.Name, &v.Origin, &v.Rootstocks, &v.PricePence, &v.InStock); err != nil {
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "catalogue unavailable"})
			return
		}
		out = append(out, v)
	}

	catalogueMu.Lock()
	catalogueCache[key] = catalogueEntry{varieties: out, loadedAt: time.Now()}
	catalogueMu.Unlock()
	c.JSON(http.StatusOK, out)
}

type varietyStat struct {
	Name       string  `json:"name"`
	Orders     int     `json:"orders"`
	Scions     int     `json:"scions"`
	TakeRate   float64 `json:"take_rate"` // share of grafts that took
	MedianDays float64 `json:"median_days_to_dispatch"`
}

// GET /admin/stats — shown on the nursery dashboard's landing page.
func (s *Server) Stats(c *gin.Context) {
	rows, err := s.DB.QueryContext(c.Request.Context(), `
		SELECT v.name, COUNT(DISTINCT o.id), SUM(ol.scions), AVG(CASE WHEN g.took THEN 1.0 ELSE 0.0 END), percentile_cont(0.5) WITHIN GROUP (ORDER BY o.dispatched_at::date - o.created_at::date)
		  FROM grafting_orders o
		  JOIN grafting_order_lines ol ON ol.order_id = o.id
		  JOIN apple_varieties v ON v.id = ol.variety_id
		  LEFT JOIN graft_outcomes g ON g.order_line_id = ol.id
		 WHERE o.nursery_id = $1
		 GROUP BY v.name
		 ORDER BY 2 DESC`, s.NurseryID)
	if err != nil {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	defer rows.Close()

	stats := []varietyStat{}
	for rows.Next() {
		var st varietyStat
		if err := rows.Scan(&st.Name, &st.Orders, &st.Scions, &st.TakeRate, &st.MedianDays); err != nil {
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		stats = append(stats, st)
	}
	c.JSON(http.StatusOK, stats)
}
