package tearota

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

// The league site hosts ~140 village clubs. Each club's season tea rota
// (who brings the sandwiches, who does the urn) is the same for every
// member who opens it, so it is cached per club and season.
type TeaRota struct {
	ClubID  int64      `json:"club_id"`
	Season  int        `json:"season"`
	Matches []teaMatch `json:"matches"`
}

type teaMatch struct {
	FixtureID int64  `json:"fixture_id"`
	PlayedOn  string `json:"played_on"`
	Opponent  string `json:"opponent"`
	TeaMaker  string `json:"tea_maker"`
	UrnDuty   string `json:"urn_duty"`
}

type RotaHandler struct {
	db    *sql.DB
	cache *expirable.LRU[string, TeaRota]
	group singleflight.Group
}

func NewRotaHandler(db *sql.DB) *RotaHandler {
	return &RotaHandler{
		db:    db,
		cache: expirable.NewLRU[string, TeaRota](512, nil, 10*time.Minute),
	}
}

// GET /clubs/{club}/tea-rota?season=2025 (club comes from the member's session)
func (h *RotaHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	clubID := clubFromSession(r.Context())
	season, err := strconv.Atoi(r.URL.Query().Get("season"))
	if err != nil || season < 2000 {
		season = time.Now().Year()
	}
	key := fmt.Sprintf("tearota:%d:%d", clubID, season)

	rota, ok := h.cache.Get(key)
	if !ok {
		v, err, _ := h.group.Do(key, func() (any, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
			defer cancel()
			fresh, err := h.load(ctx, clubID, season)
			if err != nil {
				return TeaRota{}, err
			}
			h.cache.Add(key, fresh)
			return fresh, nil
		})
		if err != nil {
			log.Printf("tea rota club=%d season=%d: %v", clubID, season, err)
			http.Error(w, "tea rota unavailable", http.StatusServiceUnavailable)
			return
		}
		rota = v.(TeaRota)
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(rota); err != nil {
		log.Printf("tea rota encode: %v", err)
	}
}

func (h *RotaHandler) load(ctx context.Context, clubID int64, season int) (TeaRota, error) {
	rota := TeaRota{ClubID: clubID, Season: season}
	rows, err := h.db.QueryContext(ctx, `
		SELECT f.id, to_char(f.played_on, 'Dy DD Mon'), f.opponent,
		       coalesce(tm.display_name, 'needs a volunteer'), coalesce(ud.display_name, '')
		  FROM fixtures f
		  LEFT JOIN tea_duties d ON d.fixture_id = f.id AND d.club_id = f.club_id
		  LEFT JOIN members tm ON tm.id = d.tea_member_id
		  LEFT JOIN members ud ON ud.id = d.urn_member_id
		 WHERE f.club_id = $1 AND f.season = $2 AND f.home = true
		 ORDER BY f.played_on
		 LIMIT 60`, clubID, season)
	if err != nil {
		return rota, err
	}
	defer rows.Close()
	for rows.Next() {
		var m teaMatch
		if err := rows.Scan(&m.FixtureID, &m.PlayedOn, &m.Opponent, &m.TeaMaker, &m.UrnDuty); err != nil {
			return rota, err
		}
		rota.Matches = append(rota.Matches, m)
	}
	return rota, rows.Err()
}
