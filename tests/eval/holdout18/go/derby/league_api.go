package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
)

// league-api: public site + skater portal for Tri-County Roller Derby (jam_scores goes back to 2011, ~3M rows).
// 2 pods behind the shared ingress. The standings widget sits in the header of every public page.

type server struct {
	db  *sql.DB
	rdb *redis.Client
}

type standing struct {
	TeamID             int64
	Team               string
	Wins, Losses       int
	PointsFor, Against int
}

func (s *server) standings(w http.ResponseWriter, r *http.Request) {
	season, _ := strconv.Atoi(r.URL.Query().Get("season"))
	standRows, err := s.db.QueryContext(r.Context(), `
		SELECT t.id, t.name,
		       COUNT(DISTINCT b.id) FILTER (WHERE b.winner_id = t.id)  AS wins,
		       COUNT(DISTINCT b.id) FILTER (WHERE b.winner_id <> t.id) AS losses,
		       COALESCE(SUM(js.points) FILTER (WHERE js.team_id = t.id), 0)  AS pf,
		       COALESCE(SUM(js.points) FILTER (WHERE js.team_id <> t.id), 0) AS pa
		FROM teams t
		JOIN bouts b       ON t.id IN (b.home_team_id, b.away_team_id)
		JOIN jam_scores js ON js.bout_id = b.id
		WHERE b.season = $1 AND b.status = 'final'
		GROUP BY t.id, t.name ORDER BY wins DESC, pf DESC`, season)
	if err != nil {
		log.Printf("standings: %v", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	defer standRows.Close()
	var out []standing
	for standRows.Next() {
		var st standing
		if err := standRows.Scan(&st.TeamID, &st.Team, &st.Wins, &st.Losses, &st.PointsFor, &st.Against); err != nil {
			log.Printf("standings scan: %v", err)
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		out = append(out, st)
	}
	json.NewEncoder(w).Encode(out)
}

// schedule: league bout calendar for the season (cached in redis, 10 min)
func (s *server) schedule(w http.ResponseWriter, r *http.Request) {
	ctx, uid, season := r.Context(), userIDFrom(r.Context()), r.URL.Query().Get("season")
	w.Header().Set("Content-Type", "application/json")
	key := "sched:" + season + ":u:" + strconv.FormatInt(uid, 10)
	if b, err := s.rdb.Get(ctx, key).Bytes(); err == nil {
		w.Write(b)
		return
	}
	var payload []byte
	err := s.db.QueryRowContext(ctx, `
		SELECT COALESCE(json_agg(x ORDER BY x.starts_at), '[]')
		FROM (SELECT b.id, b.starts_at, h.name AS home, a.name AS away, v.name AS venue
		      FROM bouts b JOIN teams h ON h.id = b.home_team_id JOIN teams a ON a.id = b.away_team_id
		      JOIN venues v ON v.id = b.venue_id
		      WHERE b.season = $1) x`, season).Scan(&payload)
	if err != nil {
		log.Printf("schedule: %v", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	s.rdb.Set(ctx, key, payload, 10*time.Minute)
	w.Write(payload)
}

// myStats: the logged-in skater's own jammer/blocker numbers
func (s *server) myStats(w http.ResponseWriter, r *http.Request) {
	ctx, uid := r.Context(), userIDFrom(r.Context())
	key := "skaterstats:" + strconv.FormatInt(uid, 10)
	if b, err := s.rdb.Get(ctx, key).Bytes(); err == nil {
		w.Write(b)
		return
	}
	var payload []byte
	err := s.db.QueryRowContext(ctx, `SELECT json_build_object('jams', COUNT(*), 'lead', COUNT(*) FILTER (WHERE lead_jammer),
		                         'points', COALESCE(SUM(points), 0), 'penalties', COALESCE(SUM(penalties), 0))
		FROM skater_jam_stats WHERE skater_id = $1`, uid).Scan(&payload)
	if err != nil {
		log.Printf("mystats: %v", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	s.rdb.Set(ctx, key, payload, 5*time.Minute)
	w.Write(payload)
}

func main() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	s := &server{db: db, rdb: redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/standings", s.standings)
	mux.Handle("GET /api/schedule", requireSkater(http.HandlerFunc(s.schedule)))
	mux.Handle("GET /api/me/stats", requireSkater(http.HandlerFunc(s.myStats)))
	log.Fatal((&http.Server{Addr: ":8080", Handler: mux, ReadTimeout: 5 * time.Second, WriteTimeout: 15 * time.Second}).ListenAndServe())
}
