// Good catch — the original handler ran one `SELECT ... FROM boot_fittings WHERE
// customer_id = $1` per customer inside the loop, so a busy Saturday morning
// (80+ walk-ins on the board) meant 80+ round trips per page load.
//
// Here is the fixed version:
//   1. page through today's customers (LIMIT/keyset, never the whole table)
//   2. fetch the fittings for that whole page in ONE query with = ANY($1)
//   3. group them in Go
// The *sqlx.DB is the shared pool built in main(), so nothing is opened per request.
package fitting

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/render"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type Customer struct {
	ID       int64  `db:"id" json:"id"`
	Name     string `db:"name" json:"name"`
	WeightKg int    `db:"weight_kg" json:"weight_kg"`
	SkierType string `db:"skier_type" json:"skier_type"` // I / II / III for DIN
}

type Fitting struct {
	CustomerID int64   `db:"customer_id" json:"-"`
	BootSizeMP float64 `db:"boot_mondo" json:"boot_mondo"`
	SkiLenCm   int     `db:"ski_len_cm" json:"ski_len_cm"`
	DIN        float64 `db:"din" json:"din"`
	FittedAt   time.Time `db:"fitted_at" json:"fitted_at"`
}

type BoardRow struct {
	Customer
	Fittings []Fitting `json:"fittings"`
}

type Handler struct {
	DB *sqlx.DB // shared pool from main
}

func (h *Handler) Routes(r chi.Router) {
	r.Get("/shops/{shop}/board", h.Board)
}

// Board is the fitting-bench screen: today's customers with their fittings.
func (h *Handler) Board(w http.ResponseWriter, r *http.Request) {
	shopID, _ := strconv.ParseInt(chi.URLParam(r, "shop"), 10, 64)
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	ctx := r.Context()

	var customers []Customer
	if err := h.DB.SelectContext(ctx, &customers, `
		SELECT id, name, weight_kg, skier_type
		  FROM customers
		 WHERE shop_id = $1 AND visit_date = current_date AND id > $2
		 ORDER BY id
		 LIMIT 40`, shopID, after); err != nil {
		render.Status(r, http.StatusInternalServerError)
		render.JSON(w, r, map[string]string{"error": err.Error()})
		return
	}

	ids := make([]int64, len(customers))
	for i, c := range customers {
		ids[i] = c.ID
	}

	// one round trip for the whole page instead of one per customer
	var fittings []Fitting
	if err := h.DB.SelectContext(ctx, &fittings, `
		SELECT customer_id, boot_mondo, ski_len_cm, din, fitted_at
		  FROM boot_fittings
		 WHERE shop_id = $1 AND customer_id = ANY($2)
		 ORDER BY fitted_at DESC`, shopID, pq.Array(ids)); err != nil {
		render.Status(r, http.StatusInternalServerError)
		render.JSON(w, r, map[string]string{"error": err.Error()})
		return
	}

	byCustomer := make(map[int64][]Fitting, len(customers))
	for _, f := range fittings {
		byCustomer[f.CustomerID] = append(byCustomer[f.CustomerID], f)
	}

	board := make([]BoardRow, 0, len(customers))
	for _, c := range customers {
		board = append(board, BoardRow{Customer: c, Fittings: byCustomer[c.ID]})
	}
	render.JSON(w, r, board)
}
