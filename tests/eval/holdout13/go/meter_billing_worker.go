package billing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
)

// Worker produces the monthly utility invoices. It is started by the
// `meter-billing` CronJob every night at 02:00 and bills the accounts whose
// billing_day is today (~40k accounts per night at month end).
type Worker struct {
	db      *sqlx.DB
	http    *http.Client
	ledger  string // ledger service base URL
	tariffs map[int64]Tariff
}

type Account struct {
	ID       int64  `db:"id"`
	MeterID  string `db:"meter_id"`
	TariffID int64  `db:"tariff_id"`
}

type Reading struct {
	ReadAt time.Time `db:"read_at"`
	KWh    float64   `db:"kwh"`
}

type Tariff struct {
	ID          int64   `db:"id"`
	StandingDay float64 `db:"standing_per_day"`
	PerKWh      float64 `db:"rate_per_kwh"`
}

type Invoice struct {
	AccountID   int64     `db:"account_id" json:"account_id"`
	PeriodStart time.Time `db:"period_start" json:"period_start"`
	PeriodEnd   time.Time `db:"period_end" json:"period_end"`
	KWh         float64   `db:"kwh" json:"kwh"`
	AmountCents int64     `db:"amount_cents" json:"amount_cents"`
}

func NewWorker(ctx context.Context, db *sqlx.DB, ledgerURL string) (*Worker, error) {
	var ts []Tariff
	if err := db.SelectContext(ctx, &ts, `SELECT id, standing_per_day, rate_per_kwh FROM tariffs`); err != nil {
		return nil, fmt.Errorf("load tariffs: %w", err)
	}
	w := &Worker{db: db, http: &http.Client{Timeout: 20 * time.Second}, ledger: ledgerURL, tariffs: map[int64]Tariff{}}
	for _, t := range ts {
		w.tariffs[t.ID] = t
	}
	return w, nil
}

func (w *Worker) Run(ctx context.Context, day time.Time) error {
	from := day.AddDate(0, -1, 0)
	var accounts []Account
	if err := w.db.SelectContext(ctx, &accounts,
		`SELECT id, meter_id, tariff_id FROM accounts WHERE billing_day = $1 AND status = 'active'`, day.Day()); err != nil {
		return fmt.Errorf("select accounts: %w", err)
	}

	invoices := make([]Invoice, 0, len(accounts))
	for _, acct := range accounts {
		var readings []Reading
		err := w.db.SelectContext(ctx, &readings, `SELECT read_at, kwh FROM meter_readings WHERE meter_id = $1 AND read_at >= $2 AND read_at < $3`, acct.MeterID, from, day)
		if err != nil {
			return fmt.Errorf("readings for meter %s: %w", acct.MeterID, err)
		}
		var total float64
		for _, rd := range readings {
			total += rd.KWh
		}
		t := w.tariffs[acct.TariffID]
		days := day.Sub(from).Hours() / 24
		amount := t.StandingDay*days + t.PerKWh*total
		invoices = append(invoices, Invoice{acct.ID, from, day, total, int64(amount * 100)})
	}
	if len(invoices) == 0 {
		return nil
	}

	if _, err := w.db.NamedExecContext(ctx,
		`INSERT INTO invoices (account_id, period_start, period_end, kwh, amount_cents)
		 VALUES (:account_id, :period_start, :period_end, :kwh, :amount_cents)`, invoices); err != nil {
		return fmt.Errorf("insert invoices: %w", err)
	}
	return w.pushToLedger(ctx, invoices)
}

// pushToLedger sends the whole night's invoices in one call; the ledger
// service is flaky around midnight so we retry.
func (w *Worker) pushToLedger(ctx context.Context, invoices []Invoice) error {
	body, err := json.Marshal(invoices)
	if err != nil {
		return err
	}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, w.ledger+"/v2/invoices:batch", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := w.http.Do(req)
		if err == nil && resp.StatusCode < 300 {
			resp.Body.Close()
			return nil
		}
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("ledger status %d", resp.StatusCode)
		}
		slog.Warn("ledger push failed, retrying", "err", err, "count", len(invoices))
		time.Sleep(500 * time.Millisecond)
	}
}
