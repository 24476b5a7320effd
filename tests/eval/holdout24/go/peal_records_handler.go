package peals

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
)

// Peal is one recorded peal as shown on a tower's history page.
type Peal struct {
	ID      int64     `json:"id"`
	TowerID int64     `json:"tower_id"`
	RungOn  time.Time `json:"rung_on"`
	Method  string    `json:"method"`
	Changes int       `json:"changes"`
	Ringers []Ringer  `json:"ringers"`
}

type Ringer struct {
	Bell int    `json:"bell"`
	Name string `json:"name"`
}

// Handler is mounted as /towers/{towerID}/peals and /towers/{towerID}/leaderboard.
type Handler struct {
	DB    *sql.DB
	Cache *redis.Client
}

// listPeals returns the peal history of a tower, newest first, with the band for each peal.
func (h *Handler) listPeals(w http.ResponseWriter, r *http.Request) {
	towerID, err := strconv.ParseInt(chi.URLParam(r, "towerID"), 10, 64)
	if err != nil {
		http.Error(w, "bad tower id", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()

	rows, err := h.DB.QueryContext(ctx,
		`SELECT id, tower_id, rung_on, method, changes FROM peals WHERE tower_id = $1 ORDER BY rung_on DESC`, towerID)
	if err != nil {
		http.Error(w, "could not load peals", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var peals []Peal
	for rows.Next() {
		var p Peal
		if err := rows.Scan(&p.ID, &p.TowerID, &p.RungOn, &p.Method, &p.Changes); err != nil {
			http.Error(w, "could not read peals", http.StatusInternalServerError)
			return
		}
		peals = append(peals, p)
	}

	// Attach the band so the page can show who rang which bell.
	for i := range peals {
		band, err := h.DB.QueryContext(ctx,
			`SELECT bell, ringer_name FROM peal_ringers WHERE peal_id = $1 ORDER BY bell`, peals[i].ID)
		if err != nil {
			http.Error(w, "could not load band", http.StatusInternalServerError)
			return
		}
		for band.Next() {
			var rg Ringer
			if err := band.Scan(&rg.Bell, &rg.Name); err != nil {
				band.Close()
				http.Error(w, "could not read band", http.StatusInternalServerError)
				return
			}
			peals[i].Ringers = append(peals[i].Ringers, rg)
		}
		band.Close()
	}

	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(peals)
}

// leaderboard shows the ringers with most peals at the tower. The query is a
// GROUP BY over the tower's peals, so the result is kept in Redis for 15 minutes.
func (h *Handler) leaderboard(w http.ResponseWriter, r *http.Request) {
	towerID := chi.URLParam(r, "towerID")
	userID, _ := r.Context().Value("user_id").(int64) // set by the session middleware
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	key := fmt.Sprintf("leaderboard:%s:user:%d", towerID, userID)
	w.Header().Set("Content-Type", "application/json")
	if cached, err := h.Cache.Get(ctx, key).Bytes(); err == nil {
		w.Write(cached)
		return
	}

	rows, err := h.DB.QueryContext(ctx, `
		SELECT pr.ringer_name, count(*) AS peal_count
		FROM peal_ringers pr JOIN peals p ON p.id = pr.peal_id
		WHERE p.tower_id = $1
		GROUP BY pr.ringer_name ORDER BY peal_count DESC LIMIT 20`, towerID)
	if err != nil {
		http.Error(w, "could not build leaderboard", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	board := make([]map[string]any, 0, 20)
	for rows.Next() {
		var name string
		var count int
		if err := rows.Scan(&name, &count); err != nil {
			http.Error(w, "could not read leaderboard", http.StatusInternalServerError)
			return
		}
		board = append(board, map[string]any{"name": name, "peals": count})
	}

	body, _ := json.Marshal(board)
	if err := h.Cache.Set(ctx, key, body, 15*time.Minute).Err(); err != nil {
		log.Printf("leaderboard cache write for tower %s: %v", towerID, err)
	}
	w.Write(body)
}
