// You're right that the old version could sell the same plot twice: it read
// the plot's status, checked it in Go, then inserted the reservation, and two
// families reserving at the same moment both passed the check.
//
// Fixed version below:
//   - the plot row is locked with SELECT ... FOR UPDATE inside a transaction,
//     so the second request waits and then sees status = 'reserved';
//   - reservations.plot_id also has a UNIQUE constraint as a backstop, and a
//     unique violation is mapped to 409 instead of a 500;
//   - every query on plots/reservations is scoped to the cemetery (tenant).
package plots

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/lib/pq"
)

type Handlers struct {
	DB  *sql.DB
	Log *slog.Logger
}

func (h *Handlers) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /cemeteries/{cid}/plots/{pid}/reserve", h.reserve)
	mux.HandleFunc("GET /plot-types/{id}", h.plotType)
}

var errTaken = errors.New("plot already reserved")

func (h *Handlers) reserve(w http.ResponseWriter, r *http.Request) {
	cid, pid := r.PathValue("cid"), r.PathValue("pid")
	var body struct {
		Holder string `json:"holder_name"`
		Deed   string `json:"deed_number"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Holder == "" {
		http.Error(w, "holder_name is required", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	err := h.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx,
			`SELECT status FROM plots WHERE id = $1 AND cemetery_id = $2 FOR UPDATE`, pid, cid).Scan(&status)
		if err != nil {
			return err
		}
		if status != "available" {
			return errTaken
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO reservations (cemetery_id, plot_id, holder_name, deed_number) VALUES ($1, $2, $3, $4)`,
			cid, pid, body.Holder, body.Deed); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`UPDATE plots SET status = 'reserved', updated_at = now() WHERE id = $1 AND cemetery_id = $2`, pid, cid)
		return err
	})

	var pqErr *pq.Error
	switch {
	case err == nil:
		w.WriteHeader(http.StatusCreated)
	case errors.Is(err, sql.ErrNoRows):
		http.Error(w, "plot not found", http.StatusNotFound)
	case errors.Is(err, errTaken), errors.As(err, &pqErr) && pqErr.Code == "23505":
		http.Error(w, "plot is no longer available", http.StatusConflict)
	default:
		h.Log.Error("reserve plot", "cemetery", cid, "plot", pid, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// plot_types is a global lookup table (single, double, cremation niche, ...)
// shared by all cemeteries; it has no cemetery_id column.
func (h *Handlers) plotType(w http.ResponseWriter, r *http.Request) {
	var name string
	var depthCm, widthCm int
	err := h.DB.QueryRowContext(r.Context(),
		`SELECT name, depth_cm, width_cm FROM plot_types WHERE id = $1`, r.PathValue("id")).Scan(&name, &depthCm, &widthCm)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if err != nil {
		h.Log.Error("plot type", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"name": name, "depth_cm": depthCm, "width_cm": widthCm})
}

func (h *Handlers) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
