package foundry

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

// Casting orders for the bell foundry portal. The portal is shared by several
// foundries; every row carries the FoundryID of the foundry that owns it and
// the authenticated foundry comes from the session middleware.

type CastingOrder struct {
	ID         uint      `json:"id"`
	FoundryID  uint      `json:"-"`
	ParishName string    `json:"parish_name"`
	Status     string    `json:"status"`
	DueDate    time.Time `json:"due_date"`
	Bells      []Bell    `json:"bells" gorm:"foreignKey:OrderID"`
}

type Bell struct {
	ID         uint    `json:"id"`
	OrderID    uint    `json:"-"`
	Note       string  `json:"note"`
	WeightKg   float64 `json:"weight_kg"`
	MouldReady bool    `json:"mould_ready"`
}

type OrderHandler struct {
	DB *gorm.DB
}

func foundryID(c *gin.Context) uint { return c.MustGet("foundry_id").(uint) }

// GET /orders?page=N
func (h *OrderHandler) List(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	if page < 1 {
		page = 1
	}
	var orders []CastingOrder
	err := h.DB.WithContext(c).
		Where("foundry_id = ?", foundryID(c)).
		Order("due_date ASC").Limit(25).Offset((page - 1) * 25).
		Find(&orders).Error
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	// Attach the ring of bells for each order so the list can show total weight.
	for i := range orders {
		if err := h.DB.WithContext(c).Where("order_id = ?", orders[i].ID).Find(&orders[i].Bells).Error; err != nil {
			c.AbortWithError(http.StatusInternalServerError, err)
			return
		}
	}
	c.JSON(http.StatusOK, orders)
}

// GET /orders/:id
func (h *OrderHandler) Get(c *gin.Context) {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	var order CastingOrder
	err = h.DB.WithContext(c).Preload("Bells").First(&order, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		c.AbortWithStatus(http.StatusNotFound)
		return
	} else if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, order)
}

type metalSummary struct {
	Month         time.Time `json:"month"`
	Orders        int       `json:"orders"`
	Bells         int       `json:"bells"`
	BronzeKg      float64   `json:"bronze_kg"`
	MedianDaysLate float64  `json:"median_days_late"`
}

// GET /dashboard — shown on the foundry manager's landing page.
func (h *OrderHandler) Dashboard(c *gin.Context) {
	var rows []metalSummary
	err := h.DB.WithContext(c).Raw(`
		SELECT date_trunc('month', o.created_at) AS month,
		       count(DISTINCT o.id) AS orders,
		       count(b.id) AS bells,
		       sum(b.weight_kg) AS bronze_kg,
		       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(day FROM o.delivered_at - o.due_date)) AS median_days_late
		FROM casting_orders o
		JOIN bells b ON b.order_id = o.id
		WHERE o.foundry_id = ?
		GROUP BY 1 ORDER BY 1 DESC`, foundryID(c)).Scan(&rows).Error
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, rows)
}
