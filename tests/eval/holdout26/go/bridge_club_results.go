package results

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"bridgeclub/internal/auth"
	"bridgeclub/internal/scoring"
)

// Results site for bridge clubs: each club (tenant) runs its own duplicate
// pairs tournaments; members look at the standings and board-by-board results.

type Server struct {
	db     *sqlx.DB
	rdb    *redis.Client
	scorer *scoring.Engine
	log    *slog.Logger
}

type Standing struct {
	PairID       int64   `db:"pair_id" json:"pair_id"`
	Names        string  `db:"names" json:"names"`
	Sessions     int     `db:"sessions" json:"sessions"`
	AvgPct       float64 `db:"avg_pct" json:"avg_pct"`
	Masterpoints float64 `db:"masterpoints" json:"masterpoints"`
}

type BoardResult struct {
	BoardNo  int    `db:"board_no" json:"board_no"`
	NSPair   int64  `db:"ns_pair" json:"ns_pair"`
	EWPair   int64  `db:"ew_pair" json:"ew_pair"`
	Contract string `db:"contract" json:"contract"`
	Score    int    `db:"score" json:"score"`
}

func (s *Server) Routes(r chi.Router) {
	r.Get("/standings", s.standings)
	r.Get("/tournaments/{tid}/boards", s.boards)
	r.Post("/masterpoints/recalculate", s.recalculate)
}

// standings: rolling 12-month pair ladder, cached for ten minutes.
func (s *Server) standings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	clubID := auth.ClubID(ctx)
	key := "standings:" + clubID

	raw, err := s.rdb.Get(ctx, key).Bytes()
	if err == nil {
		writeRaw(w, raw)
		return
	}
	if !errors.Is(err, redis.Nil) {
		s.log.Warn("standings cache read", "club", clubID, "err", err)
	}

	var rows []Standing
	err = s.db.SelectContext(ctx, &rows, `
		SELECT p.id AS pair_id, p.names, count(DISTINCT t.id) AS sessions,
		       avg(r.matchpoint_pct) AS avg_pct, sum(r.masterpoints) AS masterpoints
		FROM board_results r
		JOIN tournaments t ON t.id = r.tournament_id
		JOIN pairs p ON p.id IN (r.ns_pair, r.ew_pair)
		WHERE t.club_id = $1 AND t.played_on >= now() - interval '12 months'
		GROUP BY p.id, p.names
		ORDER BY avg_pct DESC
		LIMIT 100`, clubID)
	if err != nil {
		s.log.Error("standings query", "club", clubID, "err", err)
		http.Error(w, "could not load standings", http.StatusInternalServerError)
		return
	}
	raw, err = json.Marshal(rows)
	if err != nil {
		http.Error(w, "encode", http.StatusInternalServerError)
		return
	}
	if err := s.rdb.Set(ctx, key, raw, 10*time.Minute).Err(); err != nil {
		s.log.Warn("standings cache write", "club", clubID, "err", err)
	}
	writeRaw(w, raw)
}

func (s *Server) boards(w http.ResponseWriter, r *http.Request) {
	var out []BoardResult
	err := s.db.SelectContext(r.Context(), &out, `SELECT board_no, ns_pair, ew_pair, contract, score FROM board_results WHERE tournament_id = $1 ORDER BY board_no, ns_pair LIMIT 400`, chi.URLParam(r, "tid"))
	if err != nil {
		s.log.Error("boards query", "err", err)
		http.Error(w, "could not load boards", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		s.log.Warn("boards encode", "err", err)
	}
}

// recalculate re-awards masterpoints for the club's whole season after the
// county changed the award scale. Directors press the button in the admin page.
func (s *Server) recalculate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	clubID := auth.ClubID(ctx)
	season := r.URL.Query().Get("season")

	// Replays every session of the season through the scorer (each board is
	// re-matchpointed, awards rewritten); a full season takes 4-6 minutes.
	summary, err := s.scorer.RescoreSeason(ctx, clubID, season)
	if err != nil {
		s.log.Error("rescore season", "club", clubID, "season", season, "err", err)
		http.Error(w, "rescore failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(summary); err != nil {
		s.log.Warn("rescore encode", "err", err)
	}
}

func writeRaw(w http.ResponseWriter, raw []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(raw)
}
