// Seed-swap library API middleware. The API runs as 4 pods, so sessions, rate-limit
// counters and packet holds all live in Redis rather than in process memory.
package seedswap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

// NewRedis is called once from main; the client keeps its own connection pool.
func NewRedis(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr:         addr,
		PoolSize:     20,
		DialTimeout:  2 * time.Second,
		ReadTimeout:  500 * time.Millisecond,
		WriteTimeout: 500 * time.Millisecond,
	})
}

// Session loads the member for the session cookie from Redis.
func Session(rdb *redis.Client, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		sid, err := c.Cookie("seedswap_sid")
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		memberID, err := rdb.Get(c.Request.Context(), "session:"+sid).Result()
		if errors.Is(err, redis.Nil) {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		if err != nil {
			log.Error("session lookup", "err", err)
			c.AbortWithStatus(http.StatusServiceUnavailable)
			return
		}
		c.Set("member_id", memberID)
		c.Next()
	}
}

// LoanRateLimit allows perMinute loan requests per member, counted in Redis so the
// limit holds across all pods.
func LoanRateLimit(rdb *redis.Client, perMinute int64, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		memberID := c.GetString("member_id")
		window := time.Now().Unix() / 60
		key := fmt.Sprintf("rl:loans:%s:%d", memberID, window)

		ctx, cancel := context.WithTimeout(c.Request.Context(), 300*time.Millisecond)
		defer cancel()
		pipe := rdb.TxPipeline()
		count := pipe.Incr(ctx, key)
		pipe.Expire(ctx, key, 2*time.Minute)
		if _, err := pipe.Exec(ctx); err != nil {
			log.Error("rate limit counter", "member", memberID, "err", err)
			c.AbortWithStatus(http.StatusServiceUnavailable)
			return
		}
		if count.Val() > perMinute {
			c.Header("Retry-After", strconv.FormatInt(60-time.Now().Unix()%60, 10))
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "slow down"})
			return
		}
		c.Next()
	}
}

// HoldPacket reserves a packet for 15 minutes while the member confirms the loan.
// SET NX makes the hold exclusive; Redis drops it when the TTL runs out.
func HoldPacket(rdb *redis.Client, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		packetID := c.Param("packetID")
		memberID := c.GetString("member_id")
		ok, err := rdb.SetNX(c.Request.Context(), "hold:packet:"+packetID, memberID, 15*time.Minute).Result()
		if err != nil {
			log.Error("hold packet", "packet", packetID, "err", err)
			c.JSON(http.StatusServiceUnavailable, gin.H{"error": "try again"})
			return
		}
		if !ok {
			c.JSON(http.StatusConflict, gin.H{"error": "someone else is borrowing this packet"})
			return
		}
		c.JSON(http.StatusCreated, gin.H{"packet_id": packetID, "held_for_seconds": 900})
	}
}
