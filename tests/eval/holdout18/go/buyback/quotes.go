package buyback

import (
	"context"
	"database/sql"
	"errors"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
)

// ---- repository ----

type Offer struct {
	ISBN         string  `db:"isbn" json:"isbn"`
	Title        string  `db:"title" json:"title"`
	BaseCents    int     `db:"base_cents" json:"base_cents"`
	DemandFactor float64 `db:"demand_factor" json:"demand_factor"`
}

type Repo struct{ db *sqlx.DB }

func (r *Repo) OfferForISBN(ctx context.Context, isbn string) (Offer, error) {
	var o Offer
	err := r.db.GetContext(ctx, &o,
		`SELECT isbn, title, base_cents, demand_factor FROM buyback_offers WHERE isbn = $1 AND active`, isbn)
	return o, err
}

// ---- service ----

type Service struct{ repo *Repo }

type QuoteLine struct {
	Offer
	PayoutCents int `json:"payout_cents"`
}

// Quote prices a shelf list. Campus bookstores post their whole end-of-term
// list here, usually 1-3k ISBNs per request.
func (s *Service) Quote(ctx context.Context, isbns []string) ([]QuoteLine, error) {
	lines := make([]QuoteLine, 0, len(isbns))
	for _, isbn := range isbns {
		off, err := s.repo.OfferForISBN(ctx, isbn)
		if errors.Is(err, sql.ErrNoRows) {
			continue // not on our buy list
		}
		if err != nil {
			return nil, fmt.Errorf("offer %s: %w", isbn, err)
		}
		lines = append(lines, QuoteLine{Offer: off, PayoutCents: int(float64(off.BaseCents) * off.DemandFactor)})
	}
	return lines, nil
}

// ---- wholesaler price feed (used by the single-ISBN lookup on the student site) ----

var (
	wholesaleMu    sync.RWMutex
	wholesaleCents = map[string]int{} // isbn -> last known wholesale price
)

func wholesalePrice(isbn string) (int, error) {
	wholesaleMu.RLock()
	p, ok := wholesaleCents[isbn]
	wholesaleMu.RUnlock()
	if ok {
		return p, nil
	}
	resp, err := http.Get("https://feed.textwholesale.example/v2/price?isbn=" + url.QueryEscape(isbn))
	if err != nil {
		return 0, fmt.Errorf("wholesale feed: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		Cents int `json:"cents"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, fmt.Errorf("wholesale feed decode: %w", err)
	}
	wholesaleMu.Lock()
	wholesaleCents[isbn] = body.Cents
	wholesaleMu.Unlock()
	return body.Cents, nil
}

// ---- routes ----

func Routes(svc *Service) chi.Router {
	r := chi.NewRouter()
	r.Post("/quotes", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ISBNs []string `json:"isbns"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		lines, err := svc.Quote(r.Context(), req.ISBNs)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(lines)
	})
	r.Get("/isbn/{isbn}/wholesale", func(w http.ResponseWriter, r *http.Request) {
		cents, err := wholesalePrice(chi.URLParam(r, "isbn"))
		if err != nil {
			http.Error(w, "price unavailable", http.StatusBadGateway)
			return
		}
		json.NewEncoder(w).Encode(map[string]int{"cents": cents})
	})
	return r
}
