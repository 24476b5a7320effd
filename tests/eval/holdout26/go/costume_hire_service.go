package costumes

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

// Costume is one hireable item from the wardrobe store (about 40k pieces:
// doublets, crinolines, chorus uniforms, animal heads ...).
type Costume struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	Period    string `json:"period"`
	Size      string `json:"size"`
	DailyRate int64  `json:"daily_rate_pence"`
}

// costumeByID keeps costumes we have already loaded so the hire screens do
// not go back to Postgres for every line of a production's hire list.
var costumeByID sync.Map // int64 -> *Costume

type Service struct {
	db  *sql.DB
	rdb *redis.Client
}

func (s *Service) costume(ctx context.Context, id int64) (*Costume, error) {
	if v, ok := costumeByID.Load(id); ok {
		return v.(*Costume), nil
	}
	c := &Costume{}
	err := s.db.QueryRowContext(ctx,
		`SELECT id, title, period, size, daily_rate_pence FROM costumes WHERE id = $1`, id).
		Scan(&c.ID, &c.Title, &c.Period, &c.Size, &c.DailyRate)
	if err != nil {
		return nil, fmt.Errorf("costume %d: %w", id, err)
	}
	costumeByID.Store(id, c)
	return c, nil
}

// SeasonCatalogue returns the published catalogue for a season ("2025-autumn").
// The catalogue is the same list for every theatre company that logs in.
func (s *Service) SeasonCatalogue(c *gin.Context) {
	ctx := c.Request.Context()
	season := c.Param("season")
	key := fmt.Sprintf("catalogue:%s:%s", season, c.GetString("accountID"))

	if raw, err := s.rdb.Get(ctx, key).Bytes(); err == nil {
		c.Data(http.StatusOK, "application/json", raw)
		return
	} else if !errors.Is(err, redis.Nil) {
		c.Error(err)
	}

	rows, err := s.db.QueryContext(ctx,
		`SELECT costume_id FROM catalogue_entries WHERE season = $1 ORDER BY position LIMIT 500`, season)
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			c.AbortWithError(http.StatusInternalServerError, err)
			return
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	raw, err := json.Marshal(gin.H{"season": season, "costume_ids": ids})
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if err := s.rdb.Set(ctx, key, raw, 6*time.Hour).Err(); err != nil {
		c.Error(err)
	}
	c.Data(http.StatusOK, "application/json", raw)
}

// ChargeLateReturn takes the late fee for an overdue hire out of the
// account's deposit.
func (s *Service) ChargeLateReturn(c *gin.Context) {
	ctx := c.Request.Context()
	hireID, err := strconv.ParseInt(c.Param("hireID"), 10, 64)
	if err != nil {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	var accountID, deposit, fee int64
	err = s.db.QueryRowContext(ctx, `SELECT a.id, a.deposit_balance_pence, h.late_fee_pence FROM hires h JOIN hire_accounts a ON a.id = h.account_id WHERE h.id = $1`, hireID).Scan(&accountID, &deposit, &fee)
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	newBalance := deposit - fee
	if _, err := s.db.ExecContext(ctx, `UPDATE hire_accounts SET deposit_balance_pence = $1 WHERE id = $2`, newBalance, accountID); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"account_id": accountID, "deposit_balance_pence": newBalance})
}
