// Good catch on the wallet race. Your original PlaceBet read the balance with
// SELECT, subtracted the stake in Go and wrote the result back, so two bets fired at
// the same moment could both pass the check. Here's a production-ready version:
//
//   - the debit is a single conditional UPDATE (balance >= stake) with a RowsAffected check
//   - the debit and the bet insert share one transaction, bounded by a 3s context
//   - the market-open check happens inside the INSERT so a closed market can't slip through
//
// GetOdds is unchanged; it already caches the board in Redis.
package esports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
)

type OddsService struct {
	db  *sqlx.DB
	rdb *redis.Client
}

type SelectionPrice struct {
	MarketID  int64   `db:"market_id" json:"market_id"`
	Selection string  `db:"selection" json:"selection"`
	Staked    float64 `db:"staked" json:"staked"`
	Price     float64 `db:"price" json:"price"`
}

// GetOdds handles GET /matches/:id/odds (polled by every open match page).
func (s *OddsService) GetOdds(c *gin.Context) {
	ctx := c.Request.Context()
	key := "odds:match:" + c.Param("id")

	cached, err := s.rdb.Get(ctx, key).Bytes()
	if err == nil {
		c.Data(http.StatusOK, "application/json", cached)
		return
	}
	if !errors.Is(err, redis.Nil) {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "cache unavailable"})
		return
	}

	// Pool betting: price = (total pool * (1 - margin)) / amount staked on the selection.
	var prices []SelectionPrice
	err = s.db.SelectContext(ctx, &prices, `
		SELECT m.id AS market_id, b.selection, SUM(b.stake) AS staked,
		       SUM(SUM(b.stake)) OVER (PARTITION BY m.id) * 0.93 / NULLIF(SUM(b.stake), 0) AS price
		FROM markets m
		JOIN bets b ON b.market_id = m.id AND b.status = 'open'
		WHERE m.match_id = $1
		GROUP BY m.id, b.selection`, c.Param("id"))
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	buf, _ := json.Marshal(prices)
	s.rdb.Set(ctx, key, buf, 5*time.Second)
	c.Data(http.StatusOK, "application/json", buf)
}

type placeBetReq struct {
	MarketID  int64   `json:"market_id" binding:"required"`
	Selection string  `json:"selection" binding:"required"`
	Stake     float64 `json:"stake" binding:"required,gt=0"`
}

// PlaceBet handles POST /bets.
func (s *OddsService) PlaceBet(c *gin.Context) {
	userID := c.GetInt64("user_id")
	var req placeBetReq
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "try again"})
		return
	}
	defer tx.Rollback()

	// Atomic debit: succeeds only if the balance covers the stake.
	res, err := tx.ExecContext(ctx,
		`UPDATE wallets SET balance = balance - $1 WHERE user_id = $2 AND balance >= $1`, req.Stake, userID)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusPaymentRequired, gin.H{"error": "insufficient balance"})
		return
	}

	var betID int64
	err = tx.GetContext(ctx, &betID, `
		INSERT INTO bets (user_id, market_id, selection, stake, status)
		SELECT $1, m.id, $3, $4, 'open' FROM markets m WHERE m.id = $2 AND m.status = 'open'
		RETURNING id`, userID, req.MarketID, req.Selection, req.Stake)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusConflict, gin.H{"error": "market closed"})
		return // deferred Rollback restores the balance
	} else if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	if err := tx.Commit(); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"bet_id": betID})
}
