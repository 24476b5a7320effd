package manifest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
)

type Passenger struct {
	FlightID int64   `db:"flight_id"`
	Name     string  `db:"name"`
	WeightKg float64 `db:"weight_kg"`
}

type Service struct {
	db     *sqlx.DB
	metAPI string
	client *http.Client
}

func NewService(db *sqlx.DB, metAPI string) *Service {
	return &Service{db: db, metAPI: metAPI, client: &http.Client{Timeout: 5 * time.Second}}
}

// AddPassenger puts a passenger on a hot-air balloon flight manifest and
// keeps the running basket payload the pilot uses for the lift calculation.
func (s *Service) AddPassenger(parent context.Context, p Passenger) error {
	ctx, cancel := context.WithTimeout(parent, 3*time.Second)
	defer cancel()

	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	if _, err := tx.NamedExecContext(ctx,
		`INSERT INTO manifest_passengers (flight_id, name, weight_kg) VALUES (:flight_id, :name, :weight_kg)`, p); err != nil {
		return fmt.Errorf("insert passenger: %w", err)
	}

	var payload float64
	if err := tx.GetContext(ctx, &payload,
		`SELECT payload_kg FROM flights WHERE id = $1`, p.FlightID); err != nil {
		return fmt.Errorf("read payload: %w", err)
	}
	payload += p.WeightKg

	if _, err := tx.ExecContext(ctx,
		`UPDATE flights SET payload_kg = $1, updated_at = now() WHERE id = $2`, payload, p.FlightID); err != nil {
		return fmt.Errorf("write payload: %w", err)
	}
	return tx.Commit()
}

type WindForecast struct {
	SurfaceKnots float64 `json:"surface_knots"`
	At1000ftKnot float64 `json:"at_1000ft_knots"`
	Direction    int     `json:"direction_deg"`
}

// LaunchWind asks the met service for the launch-field forecast shown on the
// morning go/no-go screen. The met service is flaky around 05:00 when every
// operator in the region polls it.
func (s *Service) LaunchWind(ctx context.Context, fieldID string) (*WindForecast, error) {
	url := fmt.Sprintf("%s/v2/fields/%s/wind", s.metAPI, fieldID)
	var lastErr error
	for attempt := 1; attempt <= 6; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := s.client.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			var f WindForecast
			err = json.NewDecoder(resp.Body).Decode(&f)
			resp.Body.Close()
			if err != nil {
				return nil, fmt.Errorf("decode forecast: %w", err)
			}
			return &f, nil
		}
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("met service status %d", resp.StatusCode)
		}
		lastErr = err
		time.Sleep(750 * time.Millisecond)
	}
	return nil, fmt.Errorf("wind forecast for %s: %w", fieldID, lastErr)
}
