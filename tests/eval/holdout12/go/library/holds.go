package holds

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

const maxActiveHolds = 15

var (
	ErrTooManyHolds = errors.New("patron has too many active holds")
	ErrAlreadyHeld  = errors.New("patron already has a hold on this title")
)

type Hold struct {
	ID        int64     `db:"id" json:"id"`
	LibraryID int64     `db:"library_id" json:"library_id"`
	PatronID  int64     `db:"patron_id" json:"patron_id"`
	TitleID   int64     `db:"title_id" json:"title_id"`
	Status    string    `db:"status" json:"status"`
	QueuedAt  time.Time `db:"queued_at" json:"queued_at"`
}

// ---- repository ----
type Repo struct{ db *sqlx.DB }

func (r *Repo) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ---- service ----
type Service struct{ repo *Repo }

// PlaceHold queues a patron for a title. The patron row is locked for the duration of the
// transaction so two parallel requests can't both pass the active-holds limit.
func (s *Service) PlaceHold(ctx context.Context, libraryID, patronID, titleID int64) (*Hold, error) {
	var h Hold
	err := s.repo.inTx(ctx, func(tx *sqlx.Tx) error {
		var active int
		if err := tx.GetContext(ctx, &active, `
			SELECT active_holds FROM patrons
			WHERE id = $1 AND library_id = $2
			FOR UPDATE`, patronID, libraryID); err != nil {
			return fmt.Errorf("lock patron %d: %w", patronID, err)
		}
		if active >= maxActiveHolds {
			return ErrTooManyHolds
		}
		err := tx.GetContext(ctx, &h, `
			INSERT INTO holds (library_id, patron_id, title_id, status, queued_at)
			VALUES ($1, $2, $3, 'queued', now())
			ON CONFLICT (patron_id, title_id) WHERE status IN ('queued', 'ready') DO NOTHING
			RETURNING id, library_id, patron_id, title_id, status, queued_at`,
			libraryID, patronID, titleID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrAlreadyHeld
		}
		if err != nil {
			return fmt.Errorf("insert hold: %w", err)
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE patrons SET active_holds = active_holds + 1
			WHERE id = $1 AND library_id = $2`, patronID, libraryID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// ---- HTTP ----
type Handler struct {
	svc *Service
	log *slog.Logger
}

func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /libraries/{lib}/titles/{title}/holds", h.placeHold)
}

func (h *Handler) placeHold(w http.ResponseWriter, r *http.Request) {
	lib, _ := strconv.ParseInt(r.PathValue("lib"), 10, 64)
	title, _ := strconv.ParseInt(r.PathValue("title"), 10, 64)
	patron := patronFromSession(r) // 0 when not signed in
	if patron == 0 || lib == 0 || title == 0 {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	hold, err := h.svc.PlaceHold(r.Context(), lib, patron, title)
	switch {
	case errors.Is(err, ErrTooManyHolds), errors.Is(err, ErrAlreadyHeld):
		http.Error(w, err.Error(), http.StatusConflict)
	case err != nil:
		h.log.Error("place hold", "library", lib, "patron", patron, "title", title, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(hold)
	}
}
