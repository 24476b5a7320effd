// Package telemetry ingests heartbeat/pose frames from the warehouse AMRs.
//
// Production notes:
//   - runs as 3 replicas (k8s Deployment "amr-telemetry"), so nothing request-scoped
//     may live in process memory; rate limits live in Redis.
//   - the DB pool and Redis client are created once in main() and injected here.
//   - CSV exports are handed to the export worker; HTTP only enqueues them.
package telemetry

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

type Frame struct {
	RobotID   string    `json:"robot_id"`
	TS        time.Time `json:"ts"`
	X, Y      float64
	Battery   float32 `json:"battery"`
	ErrorCode int     `json:"error_code"`
}

type Service struct {
	Pool  *pgxpool.Pool
	Redis *redis.Client
	// model specs are loaded once from config at startup and never written after
	models map[string]ModelSpec
}

type ModelSpec struct {
	MaxSpeed   float64
	BatteryLow float32
}

func New(pool *pgxpool.Pool, rdb *redis.Client, specs []ModelSpec, names []string) *Service {
	m := make(map[string]ModelSpec, len(specs))
	for i, s := range specs {
		m[names[i]] = s
	}
	return &Service{Pool: pool, Redis: rdb, models: m}
}

func (s *Service) Routes(r chi.Router) {
	r.Post("/frames", s.ingest)
	r.Post("/exports", s.requestExport)
}

// allow is a fixed-window limiter shared by all replicas: 50 batches/10s per robot.
func (s *Service) allow(ctx context.Context, robotID string) (bool, error) {
	key := fmt.Sprintf("rl:frames:%s:%d", robotID, time.Now().Unix()/10)
	n, err := s.Redis.Incr(ctx, key).Result()
	if err != nil {
		return false, err
	}
	if n == 1 {
		s.Redis.Expire(ctx, key, 20*time.Second)
	}
	return n <= 50, nil
}

func (s *Service) ingest(w http.ResponseWriter, r *http.Request) {
	var batch []Frame
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&batch); err != nil || len(batch) == 0 {
		http.Error(w, "bad batch", http.StatusBadRequest)
		return
	}
	ok, err := s.allow(r.Context(), batch[0].RobotID)
	if err != nil {
		http.Error(w, "limiter unavailable", http.StatusServiceUnavailable)
		return
	}
	if !ok {
		http.Error(w, "too many batches", http.StatusTooManyRequests)
		return
	}

	rows := make([][]any, 0, len(batch))
	for _, f := range batch {
		rows = append(rows, []any{f.RobotID, f.TS, f.X, f.Y, f.Battery, f.ErrorCode})
	}
	_, err = s.Pool.CopyFrom(r.Context(), pgx.Identifier{"robot_frames"},
		[]string{"robot_id", "ts", "x", "y", "battery", "error_code"}, pgx.CopyFromRows(rows))
	if err != nil {
		http.Error(w, "store failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

type exportReq struct {
	SiteID string    `json:"site_id"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

func (s *Service) requestExport(w http.ResponseWriter, r *http.Request) {
	var req exportReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var jobID int64
	err := s.Pool.QueryRow(r.Context(),
		`INSERT INTO export_jobs (site_id, range_from, range_to, status) VALUES ($1, $2, $3, 'queued') RETURNING id`,
		req.SiteID, req.From, req.To).Scan(&jobID)
	if err != nil {
		http.Error(w, "could not queue export", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/exports/%d", jobID))
	w.WriteHeader(http.StatusAccepted)
}
