package outings

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

// Outing is one trip on the water: a boat, a crew, a distance. Coaches use the
// outing log to check who has rowed enough miles to move up a squad.
type Outing struct {
	ID         int64      `db:"id" json:"id"`
	ClubID     int64      `db:"club_id" json:"-"`
	BoatID     int64      `db:"boat_id" json:"boat_id"`
	LaunchedAt time.Time  `db:"launched_at" json:"launched_at"`
	ReturnedAt *time.Time `db:"returned_at" json:"returned_at,omitempty"`
	DistanceM  int        `db:"distance_m" json:"distance_m"`
	Crew       []CrewSeat `db:"-" json:"crew"`
}

type CrewSeat struct {
	Seat        int    `db:"seat" json:"seat"`
	MemberID    int64  `db:"member_id" json:"member_id"`
	DisplayName string `db:"display_name" json:"name"`
}

type Boat struct {
	ID    int64  `db:"id" json:"id"`
	Name  string `db:"name" json:"name"`
	Class string `db:"class" json:"class"` // 1x, 2x, 4+, 8+
}

type Repo struct {
	db *sqlx.DB
}

func NewRepo(db *sqlx.DB) *Repo { return &Repo{db: db} }

// ListForClub returns the club's outing log, newest first, with each crew.
func (r *Repo) ListForClub(ctx context.Context, clubID int64) ([]Outing, error) {
	var outings []Outing
	err := r.db.SelectContext(ctx, &outings, `SELECT id, club_id, boat_id, launched_at, returned_at, distance_m FROM outings WHERE club_id = $1 ORDER BY launched_at DESC`, clubID)
	if err != nil {
		return nil, fmt.Errorf("list outings: %w", err)
	}

	for i := range outings {
		var crew []CrewSeat
		if err := r.db.SelectContext(ctx, &crew, `SELECT c.seat, c.member_id, m.display_name FROM outing_crew c JOIN members m ON m.id = c.member_id WHERE c.outing_id = $1 AND c.club_id = $2 ORDER BY c.seat`, outings[i].ID, clubID); err != nil {
			return nil, fmt.Errorf("crew for outing %d: %w", outings[i].ID, err)
		}
		outings[i].Crew = crew
	}
	return outings, nil
}

// BoatsByID loads the boats referenced by a page of outings in one round trip.
func (r *Repo) BoatsByID(ctx context.Context, clubID int64, ids []int64) (map[int64]Boat, error) {
	out := make(map[int64]Boat, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT id, name, class FROM boats WHERE club_id = ? AND id IN (?)`, clubID, ids)
	if err != nil {
		return nil, fmt.Errorf("build boats query: %w", err)
	}
	var boats []Boat
	if err := r.db.SelectContext(ctx, &boats, r.db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("load boats: %w", err)
	}
	for _, b := range boats {
		out[b.ID] = b
	}
	return out, nil
}

// OutingLogHandler serves GET /clubs/{id}/outings for the coaches' screen.
func OutingLogHandler(repo *Repo, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		clubID, err := strconv.ParseInt(req.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, "bad club id", http.StatusBadRequest)
			return
		}
		outings, err := repo.ListForClub(req.Context(), clubID)
		if err != nil {
			log.Error("outing log", "club", clubID, "err", err)
			http.Error(w, "could not load outings", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(outings); err != nil {
			log.Warn("encode outing log", "err", err)
		}
	}
}
