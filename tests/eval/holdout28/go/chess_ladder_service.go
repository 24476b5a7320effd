package ladder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"math"
	"net/http"
	"time"

	"gorm.io/gorm"
)

type Player struct {
	ID          uint `gorm:"primaryKey"`
	ClubID      uint `gorm:"index"`
	Name        string
	Rating      int
	GamesPlayed int
	UpdatedAt   time.Time
}

type Game struct {
	ID       uint `gorm:"primaryKey"`
	ClubID   uint
	WhiteID  uint
	BlackID  uint
	Score    float64 // 1 white win, 0.5 draw, 0 black win
	PlayedAt time.Time
}

type Service struct {
	db         *gorm.DB
	federation *http.Client // built in main with Timeout: 10s
	fedURL     string
}

func NewService(db *gorm.DB, federation *http.Client, fedURL string) *Service {
	return &Service{db: db, federation: federation, fedURL: fedURL}
}

// kFactor follows the club's rule: provisional players move faster.
func kFactor(p Player) float64 {
	if p.GamesPlayed < 20 {
		return 40
	}
	return 20
}

func expected(a, b int) float64 {
	return 1 / (1 + math.Pow(10, float64(b-a)/400))
}

// RecordGame stores a finished ladder game and moves both players' ratings.
func (s *Service) RecordGame(ctx context.Context, clubID, whiteID, blackID uint, score float64) error {
	var players []Player
	if err := s.db.WithContext(ctx).Where("club_id = ? AND id IN ?", clubID, []uint{whiteID, blackID}).Find(&players).Error; err != nil {
		return fmt.Errorf("load players: %w", err)
	}
	if len(players) != 2 {
		return fmt.Errorf("both players must belong to club %d", clubID)
	}
	white, black := players[0], players[1]
	if white.ID != whiteID {
		white, black = black, white
	}

	ew := expected(white.Rating, black.Rating)
	white.Rating += int(math.Round(kFactor(white) * (score - ew)))
	black.Rating += int(math.Round(kFactor(black) * ((1 - score) - (1 - ew))))
	white.GamesPlayed++
	black.GamesPlayed++

	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		game := Game{ClubID: clubID, WhiteID: whiteID, BlackID: blackID, Score: score, PlayedAt: time.Now()}
		if err := tx.Create(&game).Error; err != nil {
			return err
		}
		if err := tx.Save(&white).Error; err != nil {
			return err
		}
		return tx.Save(&black).Error
	})
}

// PublishStandings sends the club's top of the ladder to the county federation,
// which publishes the weekly cross-club table.
func (s *Service) PublishStandings(ctx context.Context, clubID uint) error {
	var top []Player
	if err := s.db.WithContext(ctx).Where("club_id = ?", clubID).Order("rating DESC").Limit(50).Find(&top).Error; err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"club_id": clubID, "standings": top})
	if err != nil {
		return err
	}

	var lastErr error
	for attempt := 1; attempt <= 6; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.fedURL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.federation.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			err = fmt.Errorf("federation answered %s", resp.Status)
		}
		lastErr = err
		log.Printf("ladder: publish club %d attempt %d: %v", clubID, attempt, err)
		time.Sleep(2 * time.Second)
	}
	return fmt.Errorf("publish standings for club %d: %w", clubID, lastErr)
}
