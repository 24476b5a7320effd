package dispatch

// dispatch-api: courier positions + active jobs for the bike-courier ops room.
// k8s deployment "dispatch-api", replicas: 3 (HPA max 8), behind the public ALB.

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
)

type Handler struct {
	db  *sqlx.DB
	log *slog.Logger
}

func New(db *sqlx.DB, log *slog.Logger) *Handler { return &Handler{db: db, log: log} }

// latest GPS ping per courier; written by the courier app, read by the job list
// and by the auto-assigner when picking the nearest rider.
var lastPing sync.Map // courierID (int64) -> Ping

type Ping struct {
	Lat float64   `json:"lat"`
	Lng float64   `json:"lng"`
	At  time.Time `json:"at"`
}

type Courier struct {
	ID      int64  `db:"id" json:"id"`
	Name    string `db:"name" json:"name"`
	Vehicle string `db:"vehicle" json:"vehicle"`
}

type Job struct {
	ID        int64     `db:"id" json:"id"`
	Pickup    string    `db:"pickup_address" json:"pickup"`
	Dropoff   string    `db:"dropoff_address" json:"dropoff"`
	CourierID *int64    `db:"courier_id" json:"-"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	Courier   *Courier  `db:"-" json:"courier,omitempty"`
	LastPing  *Ping     `db:"-" json:"last_ping,omitempty"`
}

func (h *Handler) Routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/couriers/{id}/ping", h.ping)
	r.Get("/zones/{zone}/active-jobs", h.activeJobs)
	r.Get("/leaderboard", h.leaderboard)
	return r
}

func (h *Handler) ping(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		http.Error(w, "bad id", 400)
		return
	}
	var p Ping
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		http.Error(w, "bad body", 400)
		return
	}
	p.At = time.Now()
	lastPing.Store(id, p)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) activeJobs(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	zone := chi.URLParam(r, "zone")

	var jobs []Job
	err := h.db.SelectContext(ctx, &jobs, `
		SELECT id, pickup_address, dropoff_address, courier_id, created_at
		  FROM jobs
		 WHERE zone = $1 AND status IN ('assigned', 'picked_up')
		 ORDER BY created_at
		 LIMIT 200`, zone)
	if err != nil {
		h.log.Error("active jobs", "err", err)
		http.Error(w, "db error", 500)
		return
	}

	for i := range jobs {
		if jobs[i].CourierID == nil {
			continue
		}
		var c Courier
		if err := h.db.GetContext(ctx, &c, `SELECT id, name, vehicle FROM couriers WHERE id = $1`, *jobs[i].CourierID); err != nil {
			h.log.Warn("courier lookup", "courier", *jobs[i].CourierID, "err", err)
			continue
		}
		jobs[i].Courier = &c
		if v, ok := lastPing.Load(c.ID); ok {
			p := v.(Ping)
			jobs[i].LastPing = &p
		}
	}
	writeJSON(w, jobs)
}

type leaderRow struct {
	ID         int64   `db:"id" json:"id"`
	Name       string  `db:"name" json:"name"`
	Deliveries int     `db:"deliveries" json:"deliveries"`
	Km         float64 `db:"km" json:"km"`
	Rating     float64 `db:"rating" json:"rating"`
}

// leaderboard feeds the TV wall in the ops room and the home screen of the
// courier app (polled every 15s).
func (h *Handler) leaderboard(w http.ResponseWriter, r *http.Request) {
	var rows []leaderRow
	err := h.db.SelectContext(r.Context(), &rows, `
		SELECT c.id, c.name,
		       COUNT(d.id)                  AS deliveries,
		       COALESCE(SUM(d.distance_km), 0) AS km,
		       COALESCE(AVG(d.rating), 0)      AS rating
		  FROM couriers c
		  JOIN deliveries d ON d.courier_id = c.id
		 WHERE d.delivered_at >= date_trunc('month', now())
		 GROUP BY c.id, c.name
		 ORDER BY deliveries DESC
		 LIMIT 25`)
	if err != nil {
		h.log.Error("leaderboard", "err", err)
		http.Error(w, "db error", 500)
		return
	}
	writeJSON(w, rows)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
