package rental

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// Every row belongs to a rental agency (our tenants). AgencyID comes from the
// JWT, see AgencyScope below.

type Car struct {
	ID        uint   `gorm:"primaryKey" json:"id"`
	AgencyID  uint   `gorm:"index;not null" json:"-"`
	Plate     string `json:"plate"`
	Model     string `json:"model"`
	Category  string `json:"category"`
	DailyRate int64  `json:"daily_rate"`
}

type Reservation struct {
	ID         uint      `gorm:"primaryKey" json:"id"`
	AgencyID   uint      `gorm:"index;not null" json:"-"`
	CarID      uint      `json:"car_id"`
	CustomerID uint      `json:"customer_id"`
	PickupAt   time.Time `json:"pickup_at"`
	ReturnAt   time.Time `json:"return_at"`
	Status     string    `json:"status"`
	TotalCents int64     `json:"total_cents"`
}

type carAvailability struct {
	Car
	Available bool `json:"available"`
}

type FleetHandler struct {
	DB *gorm.DB
}

// AgencyScope is a gin middleware that puts the caller's agency id in the context.
func AgencyScope() gin.HandlerFunc {
	return func(c *gin.Context) {
		claims, ok := c.Get("claims")
		if !ok {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "unauthenticated"})
			return
		}
		c.Set("agencyID", claims.(map[string]any)["agency_id"].(uint))
		c.Next()
	}
}

func (h *FleetHandler) Register(r *gin.RouterGroup) {
	g := r.Group("/fleet", AgencyScope())
	g.GET("/availability", h.Availability)
	g.GET("/reservations", h.ListReservations)
	g.GET("/reservations/:id", h.GetReservation)
}

// Availability lists the agency's cars and whether each is free for the window.
func (h *FleetHandler) Availability(c *gin.Context) {
	agencyID := c.GetUint("agencyID")
	from, err1 := time.Parse(time.RFC3339, c.Query("from"))
	to, err2 := time.Parse(time.RFC3339, c.Query("to"))
	if err1 != nil || err2 != nil || !to.After(from) {
		c.JSON(http.StatusBadRequest, gin.H{"error": "from/to must be RFC3339 and from < to"})
		return
	}

	var cars []Car
	if err := h.DB.Where("agency_id = ? AND category = ?", agencyID, c.DefaultQuery("category", "economy")).
		Find(&cars).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}

	out := make([]carAvailability, 0, len(cars))
	for _, car := range cars {
		var overlapping int64
		h.DB.Model(&Reservation{}).
			Where("car_id = ? AND status <> 'cancelled' AND pickup_at < ? AND return_at > ?", car.ID, to, from).
			Count(&overlapping)
		out = append(out, carAvailability{Car: car, Available: overlapping == 0})
	}
	c.JSON(http.StatusOK, out)
}

// ListReservations is used by the back-office reservations table.
func (h *FleetHandler) ListReservations(c *gin.Context) {
	agencyID := c.GetUint("agencyID")
	var res []Reservation
	q := h.DB.Where("agency_id = ?", agencyID)
	if s := c.Query("status"); s != "" {
		q = q.Where("status = ?", s)
	}
	if err := q.Order("pickup_at DESC").Find(&res).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, res)
}

func (h *FleetHandler) GetReservation(c *gin.Context) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad id"})
		return
	}
	var res Reservation
	if err := h.DB.First(&res, id).Error; err != nil {
		if err == gorm.ErrRecordNotFound {
			c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
			return
		}
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, res)
}
