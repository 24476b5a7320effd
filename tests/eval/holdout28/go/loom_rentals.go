package looms

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"example.org/loomshare/internal/session"
)

// Every weaving guild on LoomShare sees only its own looms and rentals;
// guild_id is on every table.

type Rental struct {
	ID          int64     `db:"id" json:"id"`
	GuildID     int64     `db:"guild_id" json:"guild_id"`
	LoomID      int64     `db:"loom_id" json:"loom_id"`
	WeaverName  string    `db:"weaver_name" json:"weaver_name"`
	StartsOn    time.Time `db:"starts_on" json:"starts_on"`
	EndsOn      time.Time `db:"ends_on" json:"ends_on"`
	DepositPaid bool      `db:"deposit_paid" json:"deposit_paid"`
}

type API struct {
	DB            *sqlx.DB
	WebhookSecret []byte
}

func (a *API) Routes(r chi.Router) {
	r.With(session.RequireGuildMember).Get("/rentals/{id}", a.getRental)
	r.Post("/webhooks/deposits", a.depositWebhook)
}

func (a *API) getRental(w http.ResponseWriter, r *http.Request) {
	guildID := session.GuildID(r.Context())
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var rental Rental
	err := a.DB.GetContext(ctx, &rental, `SELECT id, guild_id, loom_id, weaver_name, starts_on, ends_on, deposit_paid FROM loom_rentals WHERE id = $1`, chi.URLParam(r, "id"))
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		log.Printf("looms: get rental guild=%d: %v", guildID, err)
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(rental); err != nil {
		log.Printf("looms: encode rental: %v", err)
	}
}

type depositEvent struct {
	EventID     string `json:"event_id"`
	RentalID    int64  `json:"rental_id"`
	GuildID     int64  `json:"guild_id"`
	AmountPence int64  `json:"amount_pence"`
}

// depositWebhook is called by the card processor when a weaver pays the loom deposit.
func (a *API) depositWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	mac := hmac.New(sha256.New, a.WebhookSecret)
	mac.Write(body)
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get("X-Signature"))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev depositEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	// Deposits are also mirrored into the treasurer's ledger database.
	ledger, err := sqlx.Connect("postgres", os.Getenv("LEDGER_DATABASE_URL"))
	if err != nil {
		log.Printf("looms: ledger connect: %v", err)
		http.Error(w, "ledger unavailable", http.StatusServiceUnavailable)
		return
	}
	defer ledger.Close()

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	tx, err := a.DB.BeginTxx(ctx, nil)
	if err != nil {
		http.Error(w, "db unavailable", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, `UPDATE loom_rentals SET deposit_paid = true WHERE id = $1 AND guild_id = $2`, ev.RentalID, ev.GuildID); err != nil {
		log.Printf("looms: mark deposit %s: %v", ev.EventID, err)
		http.Error(w, "update failed", http.StatusInternalServerError)
		return
	}
	if _, err := tx.ExecContext(ctx, `UPDATE guild_accounts SET deposits_held_pence = deposits_held_pence + $1 WHERE guild_id = $2`, ev.AmountPence, ev.GuildID); err != nil {
		log.Printf("looms: credit guild %d: %v", ev.GuildID, err)
		http.Error(w, "update failed", http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		http.Error(w, "commit failed", http.StatusInternalServerError)
		return
	}
	if _, err := ledger.ExecContext(ctx, `INSERT INTO ledger_entries (source, ref, amount_pence) VALUES ('loom_deposit', $1, $2)`, ev.EventID, ev.AmountPence); err != nil {
		log.Printf("looms: ledger entry %s: %v", ev.EventID, err)
	}
	w.WriteHeader(http.StatusOK)
}
