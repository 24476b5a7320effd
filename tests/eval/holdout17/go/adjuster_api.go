package claims

// Adjuster workbench API. Served through AWS API Gateway (29 s integration
// timeout) -> ECS service "claims-api" (2 tasks). Every org is an insurer tenant.

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

type Claim struct {
	ID         int64     `json:"id"`
	PolicyNo   string    `json:"policy_no"`
	Status     string    `json:"status"`
	ReservedEU float64   `json:"reserved_eur"`
	OpenedAt   time.Time `json:"opened_at"`
}

// ---------------- repository ----------------

type ClaimRepo struct{ db *sql.DB }

func (r *ClaimRepo) ForAdjuster(ctx context.Context, orgID, adjusterID int64) ([]Claim, error) {
	rows, err := r.db.QueryContext(ctx, `
		SELECT id, policy_no, status, reserved_eur, opened_at
		  FROM claims
		 WHERE org_id = $1 AND adjuster_id = $2
		 ORDER BY opened_at DESC`, orgID, adjusterID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Claim
	for rows.Next() {
		var c Claim
		if err := rows.Scan(&c.ID, &c.PolicyNo, &c.Status, &c.ReservedEU, &c.OpenedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

type Dashboard struct {
	OpenClaims    int     `json:"open_claims"`
	ReservedTotal float64 `json:"reserved_total"`
	AvgDaysOpen   float64 `json:"avg_days_open"`
}

func (r *ClaimRepo) computeDashboard(ctx context.Context, orgID int64) (*Dashboard, error) {
	var d Dashboard
	err := r.db.QueryRowContext(ctx, `
		SELECT count(*) FILTER (WHERE c.status <> 'closed'),
		       COALESCE(sum(c.reserved_eur) FILTER (WHERE c.status <> 'closed'), 0),
		       COALESCE(avg(EXTRACT(epoch FROM now() - c.opened_at) / 86400), 0)
		  FROM claims c
		  JOIN claim_lines l ON l.claim_id = c.id
		 WHERE c.org_id = $1`, orgID).Scan(&d.OpenClaims, &d.ReservedTotal, &d.AvgDaysOpen)
	return &d, err
}

// ---------------- service ----------------

type Service struct {
	repo *ClaimRepo
	rdb  *redis.Client
	pdf  PacketRenderer // wraps headless Chromium, ~2-4 s per claim packet
	log  *slog.Logger
}

type PacketRenderer interface {
	RenderClaimPacket(ctx context.Context, claimID int64) ([]byte, error)
}

func (s *Service) Dashboard(ctx context.Context, orgID int64) (*Dashboard, error) {
	key := fmt.Sprintf("claims:dashboard:%d", orgID)
	if raw, err := s.rdb.Get(ctx, key).Bytes(); err == nil {
		var d Dashboard
		if json.Unmarshal(raw, &d) == nil {
			return &d, nil
		}
	}
	d, err := s.repo.computeDashboard(ctx, orgID)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(d)
	s.rdb.Set(ctx, key, b, 5*time.Minute)
	return d, nil
}

// writePackets renders one PDF packet per claim into the zip.
func (s *Service) writePackets(ctx context.Context, zw *zip.Writer, claims []Claim) error {
	for _, c := range claims {
		pdf, err := s.pdf.RenderClaimPacket(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("claim %d: %w", c.ID, err)
		}
		f, err := zw.Create(fmt.Sprintf("claim-%d.pdf", c.ID))
		if err != nil {
			return err
		}
		if _, err := f.Write(pdf); err != nil {
			return err
		}
	}
	return nil
}

// ---------------- handlers ----------------

type API struct{ svc *Service }

func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /adjusters/{adj}/claims", a.listClaims)
	mux.HandleFunc("GET /dashboard", a.dashboard)
	mux.HandleFunc("GET /adjusters/{adj}/packets.zip", a.exportPackets)
}

func (a *API) listClaims(w http.ResponseWriter, r *http.Request) {
	org := orgFrom(r)
	var adj int64
	fmt.Sscan(r.PathValue("adj"), &adj)
	claims, err := a.svc.repo.ForAdjuster(r.Context(), org, adj)
	if err != nil {
		a.svc.log.Error("list claims", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(claims)
}

func (a *API) dashboard(w http.ResponseWriter, r *http.Request) {
	d, err := a.svc.Dashboard(r.Context(), orgFrom(r))
	if err != nil {
		a.svc.log.Error("dashboard", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(d)
}

// exportPackets: "download all my claim packets" button on the adjuster page.
func (a *API) exportPackets(w http.ResponseWriter, r *http.Request) {
	org := orgFrom(r)
	var adj int64
	fmt.Sscan(r.PathValue("adj"), &adj)
	claims, err := a.svc.repo.ForAdjuster(r.Context(), org, adj)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	zw := zip.NewWriter(w)
	if err := a.svc.writePackets(r.Context(), zw, claims); err != nil {
		a.svc.log.Error("export packets", "err", err)
	}
	zw.Close()
}

func orgFrom(r *http.Request) int64 { return r.Context().Value(orgKey{}).(int64) }

type orgKey struct{}
