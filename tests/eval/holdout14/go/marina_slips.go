package marina

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	gocache "github.com/patrickmn/go-cache"
	"gorm.io/gorm"
)

// Slip is a berth at one of the marinas on the platform. Each marina is a separate
// customer account, so every row carries MarinaID.
type Slip struct {
	ID        uint   `gorm:"primaryKey" json:"id"`
	MarinaID  uint   `gorm:"index;not null" json:"-"`
	Dock      string `json:"dock"`
	Number    int    `json:"number"`
	LengthFt  int    `json:"length_ft"`
	BeamFt    int    `json:"beam_ft"`
	PowerAmps int    `json:"power_amps"`
	Status    string `json:"status"`
}

type Reservation struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	MarinaID  uint      `gorm:"index;not null" json:"-"`
	SlipID    uint      `json:"slip_id"`
	BoaterID  uint      `json:"boater_id"`
	VesselName string   `json:"vessel_name"`
	Arrive    time.Time `json:"arrive"`
	Depart    time.Time `json:"depart"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

type SlipHandler struct {
	db    *gorm.DB
	cache *gocache.Cache
}

func NewSlipHandler(db *gorm.DB) *SlipHandler {
	return &SlipHandler{db: db, cache: gocache.New(2*time.Minute, 10*time.Minute)}
}

func (h *SlipHandler) Register(r *gin.RouterGroup) {
	r.GET("/slips", h.listSlips)
	r.GET("/slips/:id", h.getSlip)
	r.GET("/availability", h.availability)
	r.GET("/reservations", h.listReservations)
}

// marinaID / memberID are put on the context by AuthMiddleware from the JWT claims.
func marinaID(c *gin.Context) uint { return c.GetUint("marina_id") }
func memberID(c *gin.Context) uint { return c.GetUint("member_id") }

func (h *SlipHandler) listSlips(c *gin.Context) {
	var slips []Slip
	if err := h.db.Where("marina_id = ?", marinaID(c)).Order("dock, number").Find(&slips).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, slips)
}

func (h *SlipHandler) getSlip(c *gin.Context) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid id"})
		return
	}
	var slip Slip
	if err := h.db.First(&slip, id).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "slip not found"})
		return
	}
	c.JSON(http.StatusOK, slip)
}

// availability returns the slips that are free for the whole [from, to) range.
// Cached for a couple of minutes because the dock-walk tablets poll it constantly.
func (h *SlipHandler) availability(c *gin.Context) {
	from, to := c.Query("from"), c.Query("to")
	key := fmt.Sprintf("avail:%d:%d:%s:%s", marinaID(c), memberID(c), from, to)
	if v, ok := h.cache.Get(key); ok {
		c.JSON(http.StatusOK, v)
		return
	}

	busy := h.db.Model(&Reservation{}).Select("slip_id").
		Where("marina_id = ? AND status <> 'cancelled' AND arrive < ? AND depart > ?", marinaID(c), to, from)
	var free []Slip
	err := h.db.Where("marina_id = ? AND status = 'active'", marinaID(c)).
		Where("id NOT IN (?)", busy).
		Order("length_ft").Find(&free).Error
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	h.cache.Set(key, free, gocache.DefaultExpiration)
	c.JSON(http.StatusOK, free)
}

// listReservations backs the harbourmaster's reservations table.
func (h *SlipHandler) listReservations(c *gin.Context) {
	q := h.db.Where("marina_id = ?", marinaID(c))
	if s := c.Query("status"); s != "" {
		q = q.Where("status = ?", s)
	}
	var out []Reservation
	if err := q.Order("arrive DESC").Find(&out).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, out)
}
