package deck

import (
	"context"
	"database/sql"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// Vehicle deck planning for the island ferry operators. Each operator is a
// tenant (operator_id comes from the API token in AuthMiddleware). A lane has a
// usable length in centimetres; a vehicle consumes its length plus a 50 cm gap.

const vehicleGapCM = 50

type DeckHandler struct {
	DB *sql.DB
}

type allocateRequest struct {
	VehicleReg string `json:"vehicle_reg" binding:"required"`
	LengthCM   int    `json:"length_cm" binding:"required,gt=0,lte=2000"`
	LaneNo     int    `json:"lane_no" binding:"required"`
}

var errLaneFull = errors.New("lane full")

// GET /sailings/:sailingID/lanes
func (h *DeckHandler) listLanes(c *gin.Context) {
	operatorID := c.GetInt64("operator_id")
	sailingID, err := strconv.ParseInt(c.Param("sailingID"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad sailing id"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()

	rows, err := h.DB.QueryContext(ctx, `
		SELECT lane_no, length_cm, remaining_cm, max_height_cm
		FROM deck_lanes
		WHERE operator_id = $1 AND sailing_id = $2
		ORDER BY lane_no
		LIMIT 32`, operatorID, sailingID)
	if err != nil {
		log.Printf("list lanes sailing=%d: %v", sailingID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load lanes"})
		return
	}
	defer rows.Close()

	lanes := make([]gin.H, 0, 12)
	for rows.Next() {
		var laneNo, length, remaining, height int
		if err := rows.Scan(&laneNo, &length, &remaining, &height); err != nil {
			log.Printf("scan lane: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load lanes"})
			return
		}
		lanes = append(lanes, gin.H{"lane_no": laneNo, "length_cm": length, "remaining_cm": remaining, "max_height_cm": height})
	}
	c.JSON(http.StatusOK, lanes)
}

// allocate places a vehicle in a lane. The allocation row is unique per
// (sailing_id, vehicle_reg), and the lane decrement only succeeds while space remains.
func (h *DeckHandler) allocate(c *gin.Context) {
	operatorID := c.GetInt64("operator_id")
	sailingID, err := strconv.ParseInt(c.Param("sailingID"), 10, 64)
	var req allocateRequest
	if err != nil || c.ShouldBindJSON(&req) != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid request"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "database unavailable"})
		return
	}
	defer tx.Rollback()

	var allocID int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO deck_allocations (operator_id, sailing_id, lane_no, vehicle_reg, length_cm)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (sailing_id, vehicle_reg) DO NOTHING
		RETURNING id`, operatorID, sailingID, req.LaneNo, req.VehicleReg, req.LengthCM).Scan(&allocID)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusConflict, gin.H{"error": "vehicle already allocated on this sailing"})
		return
	}
	if err != nil {
		log.Printf("insert allocation: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "allocation failed"})
		return
	}

	res, err := tx.ExecContext(ctx, `
		UPDATE deck_lanes SET remaining_cm = remaining_cm - $1
		WHERE operator_id = $2 AND sailing_id = $3 AND lane_no = $4 AND remaining_cm >= $1`,
		req.LengthCM+vehicleGapCM, operatorID, sailingID, req.LaneNo)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			err = errLaneFull
		}
	}
	if errors.Is(err, errLaneFull) {
		c.JSON(http.StatusConflict, gin.H{"error": "not enough space left in that lane"})
		return
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		log.Printf("allocate %s on sailing %d: %v", req.VehicleReg, sailingID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "allocation failed"})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"allocation_id": allocID})
}
