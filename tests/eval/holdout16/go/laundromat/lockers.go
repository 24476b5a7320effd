// Package lockers: pickup-locker holds for the SpinCity laundromats.
// Deployment: 3 replicas behind the ALB (deploy/lockers.yaml). Nothing is kept
// in process memory; holds live in Postgres, per-user views in Redis.
package lockers

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

type API struct {
	DB  *sql.DB
	RDB *redis.Client
}

type heldLocker struct {
	LockerID  int64     `json:"locker_id"`
	Store     string    `json:"store"`
	HoldUntil time.Time `json:"hold_until"`
}

func (a *API) Routes(r *gin.Engine, requireUser gin.HandlerFunc) {
	r.POST("/lockers/:id/hold", requireUser, a.hold)
	r.GET("/lockers/mine", requireUser, a.mine)
}

// "my lockers" is genuinely different for every customer.
func mineKey(userID int64) string { return fmt.Sprintf("lockers:mine:%d", userID) }

func (a *API) hold(c *gin.Context) {
	userID := c.GetInt64("user_id")
	lockerID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad locker id"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()

	// Claim only if free or the previous hold has lapsed; the WHERE clause
	// makes this a single atomic compare-and-set.
	res, err := a.DB.ExecContext(ctx, `
		UPDATE lockers
		   SET held_by = $1, hold_until = now() + interval '20 minutes'
		 WHERE id = $2
		   AND (held_by IS NULL OR hold_until < now())`, userID, lockerID)
	if err != nil {
		log.Printf("hold locker %d: %v", lockerID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusConflict, gin.H{"error": "locker is taken"})
		return
	}
	a.RDB.Del(ctx, mineKey(userID))
	c.JSON(http.StatusOK, gin.H{"locker_id": lockerID, "held_minutes": 20})
}

func (a *API) mine(c *gin.Context) {
	userID := c.GetInt64("user_id")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()

	if b, err := a.RDB.Get(ctx, mineKey(userID)).Bytes(); err == nil {
		c.Data(http.StatusOK, "application/json", b)
		return
	}
	rows, err := a.DB.QueryContext(ctx, `
		SELECT l.id, s.name, l.hold_until FROM lockers l JOIN stores s ON s.id = l.store_id
		 WHERE l.held_by = $1 AND l.hold_until > now()
		 ORDER BY l.hold_until LIMIT 10`, userID)
	if err != nil {
		log.Printf("mine: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	defer rows.Close()
	out := []heldLocker{}
	for rows.Next() {
		var h heldLocker
		if err := rows.Scan(&h.LockerID, &h.Store, &h.HoldUntil); err != nil {
			log.Printf("mine scan: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
			return
		}
		out = append(out, h)
	}
	b, _ := json.Marshal(out)
	a.RDB.Set(ctx, mineKey(userID), b, 30*time.Second)
	c.Data(http.StatusOK, "application/json", b)
}

// StartJanitor clears lapsed holds so the door panels show them as free.
// Safe to run on every replica: the UPDATE is idempotent.
func (a *API) StartJanitor(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				const q = `UPDATE lockers SET held_by = NULL, hold_until = NULL WHERE hold_until < now()`
				if _, err := a.DB.ExecContext(ctx, q); err != nil {
					log.Printf("locker janitor: %v", err)
				}
			}
		}
	}()
}
