package warehouse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	ErrInsufficientStock = errors.New("warehouse: insufficient stock")
	ErrUnknownSKU        = errors.New("warehouse: unknown sku")
)

// carrierClient is shared by all requests; the carrier API is slow at peak
// so we cap every call instead of hanging a worker.
var carrierClient = &http.Client{Timeout: 8 * time.Second}

type Store struct {
	pool       *pgxpool.Pool
	carrierURL string
}

func NewStore(pool *pgxpool.Pool, carrierURL string) *Store {
	return &Store{pool: pool, carrierURL: carrierURL}
}

// Reserve takes qty units of a SKU in one warehouse for a pick list.
// The decrement and the availability check are a single statement.
func (s *Store) Reserve(ctx context.Context, warehouseID int64, sku string, qty int) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE stock_levels
		   SET available = available - $3, reserved = reserved + $3, updated_at = now()
		 WHERE warehouse_id = $1 AND sku = $2 AND available >= $3`,
		warehouseID, sku, qty)
	if err != nil {
		return fmt.Errorf("reserve %s: %w", sku, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrInsufficientStock
	}
	return nil
}

// Transfer moves stock between two warehouses. Both rows are locked in a
// fixed order (by warehouse id) so concurrent transfers cannot deadlock.
func (s *Store) Transfer(ctx context.Context, sku string, from, to int64, qty int) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT warehouse_id, available FROM stock_levels
			 WHERE sku = $1 AND warehouse_id = ANY($2)
			 ORDER BY warehouse_id
			 FOR UPDATE`, sku, []int64{from, to})
		if err != nil {
			return err
		}
		avail := map[int64]int{}
		for rows.Next() {
			var wid int64
			var a int
			if err := rows.Scan(&wid, &a); err != nil {
				return err
			}
			avail[wid] = a
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(avail) != 2 {
			return ErrUnknownSKU
		}
		if avail[from] < qty {
			return ErrInsufficientStock
		}
		if _, err := tx.Exec(ctx, `UPDATE stock_levels SET available = available - $1 WHERE sku = $2 AND warehouse_id = $3`, qty, sku, from); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE stock_levels SET available = available + $1 WHERE sku = $2 AND warehouse_id = $3`, qty, sku, to)
		return err
	})
}

// BookPickup asks the carrier for a collection slot for a packed shipment.
func (s *Store) BookPickup(ctx context.Context, shipmentID string, pallets int) (string, error) {
	body, _ := json.Marshal(map[string]any{"shipment_ref": shipmentID, "pallets": pallets})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.carrierURL+"/v1/pickups", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := carrierClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("carrier pickup: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("carrier pickup: status %d", resp.StatusCode)
	}
	var out struct {
		PickupID string `json:"pickup_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", fmt.Errorf("carrier pickup: decode: %w", err)
	}
	return out.PickupID, nil
}
