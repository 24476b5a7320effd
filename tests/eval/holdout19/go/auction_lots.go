package auction

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"gorm.io/gorm"
)

type Lot struct {
	ID              uint
	SellerID        uint
	VIN             string
	Title           string
	CurrentBidCents int64
	LeaderID        *uint
	ClosesAt        time.Time
}

type Seller struct {
	ID         uint
	DealerName string
}

type BidderAccount struct {
	UserID       uint `gorm:"primaryKey"`
	DepositCents int64
	HeldCents    int64
}

type VinInfo struct {
	Make  string `json:"Make"`
	Model string `json:"Model"`
	Year  string `json:"ModelYear"`
}

var ErrOutbid = errors.New("bid too low or lot closed")

// decoded VINs, so we don't hit vPIC for every page view
var (
	vinMu    sync.RWMutex
	vinCache = make(map[string]VinInfo)
)

var vpic = &http.Client{Timeout: 5 * time.Second}

type LotService struct{ db *gorm.DB }

// PlaceBid takes the lead only if the amount beats the current bid and the lot is still open.
func (s *LotService) PlaceBid(ctx context.Context, lotID, bidderID uint, amount int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Lot{}).
			Where("id = ? AND current_bid_cents < ? AND closes_at > now()", lotID, amount).
			Updates(map[string]any{"current_bid_cents": amount, "leader_id": bidderID})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrOutbid
		}

		// hold 10% of the bid against the bidder's deposit
		var acct BidderAccount
		if err := tx.First(&acct, "user_id = ?", bidderID).Error; err != nil {
			return err
		}
		acct.HeldCents = acct.HeldCents + amount/10
		if acct.HeldCents > acct.DepositCents {
			return fmt.Errorf("deposit too small for this bid")
		}
		return tx.Save(&acct).Error
	})
}

type LotView struct {
	Lot
	Seller Seller  `json:"seller"`
	Vin    VinInfo `json:"vin"`
}

// OpenLots backs GET /lots?page=N on the catalogue page.
func (s *LotService) OpenLots(ctx context.Context, page int) ([]LotView, error) {
	var lots []Lot
	err := s.db.WithContext(ctx).
		Where("closes_at > now()").
		Order("closes_at").
		Limit(50).Offset(page * 50).
		Find(&lots).Error
	if err != nil {
		return nil, err
	}

	out := make([]LotView, 0, len(lots))
	for _, l := range lots {
		var seller Seller
		if err := s.db.WithContext(ctx).Where("id = ?", l.SellerID).First(&seller).Error; err != nil {
			return nil, err
		}
		out = append(out, LotView{Lot: l, Seller: seller, Vin: decodeVIN(ctx, l.VIN)})
	}
	return out, nil
}

func decodeVIN(ctx context.Context, vin string) VinInfo {
	vinMu.RLock()
	v, ok := vinCache[vin]
	vinMu.RUnlock()
	if ok {
		return v
	}

	url := fmt.Sprintf("https://vpic.nhtsa.dot.gov/api/vehicles/DecodeVinValues/%s?format=json", vin)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := vpic.Do(req)
	if err != nil {
		log.Printf("vpic decode %s: %v", vin, err)
		return VinInfo{} // catalogue still renders without make/model
	}
	defer resp.Body.Close()
	var body struct{ Results []VinInfo }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Results) == 0 {
		log.Printf("vpic decode %s: bad response (%v)", vin, err)
		return VinInfo{}
	}

	vinMu.Lock()
	vinCache[vin] = body.Results[0]
	vinMu.Unlock()
	return body.Results[0]
}
