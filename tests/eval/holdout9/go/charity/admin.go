package admin

// Admin panel for the parish donations platform.
// k8s: deployment "donations-admin", replicas: 3, ingress proxy-read-timeout 30s.

import (
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"time"
)

type adminSession struct {
	UserID    int64
	ChurchID  int64
	ExpiresAt time.Time
}

var (
	sessionsMu sync.RWMutex
	sessions   = map[string]adminSession{}
)

type Admin struct {
	DB  *sql.DB
	PDF ReceiptRenderer // renders a tax receipt PDF, ~300ms each
}

func (a *Admin) Login(w http.ResponseWriter, r *http.Request) {
	userID, churchID, err := a.checkPassword(r.FormValue("email"), r.FormValue("password"))
	if err != nil {
		http.Error(w, "invalid credentials", http.StatusUnauthorized)
		return
	}
	buf := make([]byte, 32)
	rand.Read(buf)
	token := hex.EncodeToString(buf)

	sessionsMu.Lock()
	sessions[token] = adminSession{UserID: userID, ChurchID: churchID, ExpiresAt: time.Now().Add(8 * time.Hour)}
	sessionsMu.Unlock()

	http.SetCookie(w, &http.Cookie{Name: "adm", Value: token, HttpOnly: true, Secure: true, Path: "/admin"})
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

func currentSession(r *http.Request) (adminSession, bool) {
	c, err := r.Cookie("adm")
	if err != nil {
		return adminSession{}, false
	}
	sessionsMu.RLock()
	defer sessionsMu.RUnlock()
	s, ok := sessions[c.Value]
	return s, ok && time.Now().Before(s.ExpiresAt)
}

// GET /admin/receipts/year-end?year=2023
// Builds the year-end tax receipts for every donor of the church and returns a CSV
// with the receipt numbers; PDFs are stored to the bucket as a side effect.
func (a *Admin) YearEndReceipts(w http.ResponseWriter, r *http.Request) {
	s, ok := currentSession(r)
	if !ok {
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return
	}
	year := r.URL.Query().Get("year")

	rows, err := a.DB.QueryContext(r.Context(), `
		SELECT donor_id, SUM(amount_cents) FROM donations
		 WHERE church_id = $1 AND date_part('year', donated_at) = $2
		 GROUP BY donor_id`, s.ChurchID, year)
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=receipts-%s.csv", year))
	out := csv.NewWriter(w)
	out.Write([]string{"donor_id", "total_cents", "receipt_no"})
	for rows.Next() {
		var donorID, total int64
		if err := rows.Scan(&donorID, &total); err != nil {
			http.Error(w, "scan failed", http.StatusInternalServerError)
			return
		}
		receiptNo, err := a.PDF.RenderAndStore(r.Context(), s.ChurchID, donorID, year, total)
		if err != nil {
			http.Error(w, "receipt failed", http.StatusInternalServerError)
			return
		}
		out.Write([]string{fmt.Sprint(donorID), fmt.Sprint(total), receiptNo})
	}
	out.Flush()
}
