package lido

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
)

// Season-ticket lane bookings for the lido. The booking API runs on 4 pods;
// the per-member limit is kept in Redis so every pod sees the same count.

type Server struct {
	DB  *sql.DB
	RDB *redis.Client
}

type memberCtxKey struct{}

const bookingsPerHour = 20

func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.With(s.limitPerMember).Post("/pools/{pool}/lanes/{lane}/bookings", s.book)
	return r
}

// limitPerMember is a fixed one-hour window per signed-in member (INCR + EXPIRE
// in one MULTI, so the key always gets its TTL).
func (s *Server) limitPerMember(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		memberID, ok := r.Context().Value(memberCtxKey{}).(int64)
		if !ok {
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 300*time.Millisecond)
		defer cancel()

		key := fmt.Sprintf("lido:ratelimit:book:%d:%d", memberID, time.Now().Unix()/3600)
		var incr *redis.IntCmd
		_, err := s.RDB.TxPipelined(ctx, func(p redis.Pipeliner) error {
			incr = p.Incr(ctx, key)
			p.Expire(ctx, key, time.Hour)
			return nil
		})
		if err != nil {
			slog.Error("rate limit check", "member", memberID, "err", err)
			http.Error(w, "try again shortly", http.StatusServiceUnavailable)
			return
		}
		if incr.Val() > bookingsPerHour {
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "too many bookings this hour", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type bookingRequest struct {
	SlotStart time.Time `json:"slot_start"`
}

func (s *Server) book(w http.ResponseWriter, r *http.Request) {
	memberID := r.Context().Value(memberCtxKey{}).(int64)
	var req bookingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.SlotStart.IsZero() {
		http.Error(w, "slot_start is required", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	// uq_lane_slot (pool_id, lane_no, slot_start) decides who gets the lane.
	var bookingID int64
	err := s.DB.QueryRowContext(ctx, `
		INSERT INTO lane_bookings (pool_id, lane_no, slot_start, member_id)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT ON CONSTRAINT uq_lane_slot DO NOTHING
		RETURNING id`, chi.URLParam(r, "pool"), chi.URLParam(r, "lane"), req.SlotStart, memberID).Scan(&bookingID)
	if err == sql.ErrNoRows {
		http.Error(w, "that lane is already booked for this slot", http.StatusConflict)
		return
	}
	if err != nil {
		slog.Error("book lane", "member", memberID, "err", err)
		http.Error(w, "could not book lane", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"booking_id": bookingID})
}
