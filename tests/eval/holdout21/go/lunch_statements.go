package lunch

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// StatementService emails each family a monthly statement of school lunch
// credits: top-ups, meals charged, and the closing balance. The district has
// 41 schools and roughly 18,000 enrolled families.
type StatementService struct {
	DB       *sql.DB
	Renderer interface {
		RenderPDF(family Family, lines []LedgerLine, month time.Time) ([]byte, error)
	}
	Mailer interface {
		Send(ctx context.Context, to, subject string, attachment []byte) error
	}
	Log *slog.Logger
}

type Family struct {
	ID    int64
	Name  string
	Email string
}

type LedgerLine struct {
	PostedAt    time.Time
	Kind        string // "topup" or "meal"
	AmountCents int64
	Note        string
}

func (s *StatementService) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /admin/districts/{districtID}/statements", s.sendMonthly)
}

// sendMonthly is triggered from the finance office dashboard on the first
// working day of each month.
func (s *StatementService) sendMonthly(w http.ResponseWriter, r *http.Request) {
	districtID := r.PathValue("districtID")
	ctx := r.Context()
	now := time.Now()
	month := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	next := month.AddDate(0, 1, 0)

	families, err := s.activeFamilies(ctx, districtID)
	if err != nil {
		s.Log.Error("load families", "district", districtID, "err", err)
		http.Error(w, "could not load families", http.StatusInternalServerError)
		return
	}

	sent, failed := 0, 0
	for _, fam := range families {
		rows, err := s.DB.QueryContext(ctx, `SELECT posted_at, kind, amount_cents, note FROM lunch_ledger WHERE family_id = $1 AND posted_at >= $2 AND posted_at < $3 ORDER BY posted_at`, fam.ID, month, next)
		if err != nil {
			s.Log.Error("ledger query", "family", fam.ID, "err", err)
			failed++
			continue
		}
		var lines []LedgerLine
		for rows.Next() {
			var l LedgerLine
			if err = rows.Scan(&l.PostedAt, &l.Kind, &l.AmountCents, &l.Note); err != nil {
				break
			}
			lines = append(lines, l)
		}
		rows.Close()
		if err != nil {
			s.Log.Error("ledger scan", "family", fam.ID, "err", err)
			failed++
			continue
		}

		pdf, err := s.Renderer.RenderPDF(fam, lines, month)
		if err != nil {
			s.Log.Error("render statement", "family", fam.ID, "err", err)
			failed++
			continue
		}
		subject := fmt.Sprintf("School lunch statement – %s", month.Format("January 2006"))
		if err := s.Mailer.Send(ctx, fam.Email, subject, pdf); err != nil {
			s.Log.Error("send statement", "family", fam.ID, "err", err)
			failed++
			continue
		}
		sent++
	}

	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"sent": sent, "failed": failed})
}

func (s *StatementService) activeFamilies(ctx context.Context, districtID string) ([]Family, error) {
	rows, err := s.DB.QueryContext(ctx, `
		SELECT f.id, f.guardian_name, f.guardian_email
		FROM families f
		JOIN schools sc ON sc.id = f.school_id
		WHERE sc.district_id = $1 AND f.active`, districtID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Family
	for rows.Next() {
		var f Family
		if err := rows.Scan(&f.ID, &f.Name, &f.Email); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
