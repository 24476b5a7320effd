package league

import (
	"archive/zip"
	"bytes"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"quizleague/internal/auth"
	"quizleague/internal/scorecards"
	"quizleague/internal/store"
)

// Handler serves the Vale Pub Quiz League site: league tables, fixtures and
// the printable season archive.
type Handler struct {
	store      *store.Store
	scorecards *scorecards.Renderer
	archive    *store.Archive
}

type cachedTable struct {
	rows    []store.StandingRow
	expires time.Time
}

var (
	tableMu    sync.RWMutex
	tableCache = make(map[string]cachedTable)
)

const tableTTL = 2 * time.Minute

func (h *Handler) Routes(r chi.Router) {
	r.Get("/leagues/{leagueID}/table", h.LeagueTable)
	r.Post("/admin/seasons/{seasonID}/archive", h.RebuildSeasonArchive)
}

// LeagueTable renders the standings for a league. Standings come from the
// league_standings table, which results entry keeps up to date; the viewer's
// own team is highlighted in the template.
func (h *Handler) LeagueTable(w http.ResponseWriter, r *http.Request) {
	leagueID := chi.URLParam(r, "leagueID")
	viewer := auth.UserFrom(r.Context())
	key := fmt.Sprintf("table:%s:%d", leagueID, viewer.ID)

	tableMu.RLock()
	entry, ok := tableCache[key]
	tableMu.RUnlock()
	if ok && time.Now().Before(entry.expires) {
		h.renderTable(w, entry.rows, viewer)
		return
	}

	rows, err := h.store.Standings(r.Context(), leagueID)
	if err != nil {
		log.Printf("standings for league %s: %v", leagueID, err)
		http.Error(w, "could not load the table", http.StatusInternalServerError)
		return
	}
	tableMu.Lock()
	tableCache[key] = cachedTable{rows: rows, expires: time.Now().Add(tableTTL)}
	tableMu.Unlock()

	h.renderTable(w, rows, viewer)
}

// RebuildSeasonArchive regenerates the printable scorecard for every fixture
// in a season and uploads them as one zip to the archive bucket. A full
// season is around 600 fixtures; each scorecard takes a second or two to
// lay out because of the embedded team crests and answer grids.
func (h *Handler) RebuildSeasonArchive(w http.ResponseWriter, r *http.Request) {
	seasonID := chi.URLParam(r, "seasonID")
	ctx := r.Context()

	fixtures, err := h.store.FixturesForSeason(ctx, seasonID)
	if err != nil {
		log.Printf("fixtures for season %s: %v", seasonID, err)
		http.Error(w, "could not load fixtures", http.StatusInternalServerError)
		return
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, fx := range fixtures {
		pdf, err := h.scorecards.Render(ctx, fx)
		if err != nil {
			log.Printf("render fixture %d: %v", fx.ID, err)
			http.Error(w, "scorecard rendering failed", http.StatusInternalServerError)
			return
		}
		f, err := zw.Create(fmt.Sprintf("week-%02d/%s-v-%s.pdf", fx.Week, fx.HomeSlug, fx.AwaySlug))
		if err != nil {
			log.Printf("zip entry: %v", err)
			http.Error(w, "archive failed", http.StatusInternalServerError)
			return
		}
		if _, err := f.Write(pdf); err != nil {
			log.Printf("zip write: %v", err)
			http.Error(w, "archive failed", http.StatusInternalServerError)
			return
		}
	}
	if err := zw.Close(); err != nil {
		log.Printf("zip close: %v", err)
		http.Error(w, "archive failed", http.StatusInternalServerError)
		return
	}

	key := fmt.Sprintf("seasons/%s/scorecards.zip", seasonID)
	if err := h.archive.Put(ctx, key, buf.Bytes()); err != nil {
		log.Printf("upload %s: %v", key, err)
		http.Error(w, "upload failed", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
