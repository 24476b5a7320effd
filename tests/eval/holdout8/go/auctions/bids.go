package auctions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
)

type Auction struct {
	ID           int64     `db:"id" json:"id"`
	CurrentPrice int64     `db:"current_price" json:"current_price"` // cents
	MinIncrement int64     `db:"min_increment" json:"min_increment"`
	EndsAt       time.Time `db:"ends_at" json:"ends_at"`
	Status       string    `db:"status" json:"status"`
}

type Bid struct {
	ID        int64     `db:"id" json:"id"`
	AuctionID int64     `db:"auction_id" json:"auction_id"`
	BidderID  int64     `db:"bidder_id" json:"bidder_id"`
	Amount    int64     `db:"amount" json:"amount"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

var (
	ErrAuctionClosed = errors.New("auction closed")
	ErrBidTooLow     = errors.New("bid too low")
)

type Store struct{ db *sqlx.DB }

// PlaceBid locks the auction row so two bidders can't both beat the same price.
func (s *Store) PlaceBid(ctx context.Context, auctionID, bidderID, amount int64) (*Bid, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	var a Auction
	if err := tx.GetContext(ctx, &a,
		`SELECT id, current_price, min_increment, ends_at, status
		   FROM auctions WHERE id = $1 FOR UPDATE`, auctionID); err != nil {
		return nil, fmt.Errorf("load auction %d: %w", auctionID, err)
	}
	if a.Status != "open" || time.Now().After(a.EndsAt) {
		return nil, ErrAuctionClosed
	}
	if amount < a.CurrentPrice+a.MinIncrement {
		return nil, ErrBidTooLow
	}

	var b Bid
	if err := tx.GetContext(ctx, &b,
		`INSERT INTO bids (auction_id, bidder_id, amount) VALUES ($1, $2, $3)
		 RETURNING id, auction_id, bidder_id, amount, created_at`,
		auctionID, bidderID, amount); err != nil {
		return nil, fmt.Errorf("insert bid: %w", err)
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE auctions SET current_price = $1, leading_bidder_id = $2 WHERE id = $3`,
		amount, bidderID, auctionID); err != nil {
		return nil, fmt.Errorf("update auction: %w", err)
	}
	return &b, tx.Commit()
}

// RecentBids returns one page of bids, newest first.
func (s *Store) RecentBids(ctx context.Context, auctionID int64, before time.Time, limit int) ([]Bid, error) {
	bids := []Bid{}
	err := s.db.SelectContext(ctx, &bids,
		`SELECT id, auction_id, bidder_id, amount, created_at
		   FROM bids WHERE auction_id = $1 AND created_at < $2
		  ORDER BY created_at DESC LIMIT $3`, auctionID, before, limit)
	return bids, err
}

// CloseExpired runs from the scheduler every 30s. The status guard makes it
// safe if two instances run it at the same time.
func (s *Store) CloseExpired(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx,
		`UPDATE auctions SET status = 'closed', closed_at = now()
		  WHERE status = 'open' AND ends_at <= now()`)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

type API struct{ store *Store }

// placeBid handles POST /auctions/:id/bids (gin).
func (api *API) placeBid(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad auction id"})
		return
	}
	var body struct {
		Amount int64 `json:"amount" binding:"required,gt=0"`
	}
	if err := c.ShouldBindJSON(&body); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	bid, err := api.store.PlaceBid(c.Request.Context(), id, c.GetInt64("userID"), body.Amount)
	switch {
	case errors.Is(err, ErrAuctionClosed):
		c.JSON(http.StatusConflict, gin.H{"error": "auction closed"})
	case errors.Is(err, ErrBidTooLow):
		c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "bid too low"})
	case errors.Is(err, sql.ErrNoRows):
		c.JSON(http.StatusNotFound, gin.H{"error": "auction not found"})
	case err != nil:
		log.Printf("place bid auction=%d: %v", id, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
	default:
		c.JSON(http.StatusCreated, bid)
	}
}
