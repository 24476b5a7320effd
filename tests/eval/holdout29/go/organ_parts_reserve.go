// Parts store for the organ restoration workshop (leathers, pallet springs,
// pipe feet, tracker wire); restoration jobs reserve from shared stock.
package workshop

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"
)

type PartsAPI struct {
	DB *sql.DB // pooled; SetMaxOpenConns(20) in main
}

type reserveRequest struct {
	JobID    int64 `json:"job_id"`
	PartID   int64 `json:"part_id"`
	Quantity int   `json:"quantity"`
}

var errInsufficientStock = errors.New("insufficient stock")

// Reserve handles POST /parts/reservations.
func (a *PartsAPI) Reserve(w http.ResponseWriter, r *http.Request) {
	var req reserveRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Quantity <= 0 {
		http.Error(w, "invalid reservation", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()
	left, err := a.reserve(ctx, req)
	switch {
	case errors.Is(err, errInsufficientStock):
		http.Error(w, "not enough in stock", http.StatusConflict)
		return
	case err != nil:
		log.Printf("reserve part=%d job=%d: %v", req.PartID, req.JobID, err)
		http.Error(w, "reservation failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"part_id": req.PartID, "remaining": left})
}

// reserve decrements stock only if enough is on the shelf, in the same
// statement, and records the reservation in the same transaction.
func (a *PartsAPI) reserve(ctx context.Context, req reserveRequest) (int, error) {
	tx, err := a.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	var left int
	err = tx.QueryRowContext(ctx,
		`UPDATE parts
		    SET qty_on_hand = qty_on_hand - $1, updated_at = now()
		  WHERE id = $2 AND qty_on_hand >= $1
		  RETURNING qty_on_hand`,
		req.Quantity, req.PartID).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errInsufficientStock
	}
	if err != nil {
		return 0, err
	}

	if _, err := tx.ExecContext(ctx,
		`INSERT INTO part_reservations (job_id, part_id, quantity, reserved_at)
		 VALUES ($1, $2, $3, now())`,
		req.JobID, req.PartID, req.Quantity); err != nil {
		return 0, err
	}
	return left, tx.Commit()
}

// JobReservations handles GET /jobs/{id}/reservations?after=<id>, 50 per page.
func (a *PartsAPI) JobReservations(w http.ResponseWriter, r *http.Request, jobID int64) {
	var after int64 // zero means first page
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			http.Error(w, "after must be a reservation id", http.StatusBadRequest)
			return
		}
		after = n
	}

	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()

	rows, err := a.DB.QueryContext(ctx,
		`SELECT r.id, p.name, r.quantity, r.reserved_at
		   FROM part_reservations r JOIN parts p ON p.id = r.part_id
		  WHERE r.job_id = $1 AND r.id > $2
		  ORDER BY r.id
		  LIMIT 50`, jobID, after)
	if err != nil {
		log.Printf("job reservations job=%d: %v", jobID, err)
		http.Error(w, "unavailable", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	type item struct {
		ID         int64     `json:"id"`
		Part       string    `json:"part"`
		Quantity   int       `json:"quantity"`
		ReservedAt time.Time `json:"reserved_at"`
	}
	items := make([]item, 0, 50)
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.ID, &it.Part, &it.Quantity, &it.ReservedAt); err != nil {
			log.Printf("scan reservation: %v", err)
			http.Error(w, "unavailable", http.StatusInternalServerError)
			return
		}
		items = append(items, it)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(items)
}
