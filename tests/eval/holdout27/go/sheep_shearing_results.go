package shearing

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// Publishing results for a sheep-shearing competition: every heat is scored
// (time points + board and pen penalties), a scorecard PDF is rendered, and
// the PDF is pushed to the agricultural show's results board. A county show
// runs 80+ heats across the open, senior, intermediate, junior and blades classes.

type Entry struct {
	HeatID      int64
	Shearer     string
	Sheep       int
	TimeSeconds float64
	BoardPens   float64 // second cuts, skin cuts, fleece left on
	PenPens     float64 // judged in the let-out pen
}

func (e Entry) Points() float64 {
	return e.TimeSeconds/float64(max(e.Sheep, 1))/20 + (e.BoardPens+e.PenPens)/float64(max(e.Sheep, 1))
}

type Publisher struct {
	DB        *sql.DB
	Render    func(heatID int64, ranked []Entry) ([]byte, error)
	BoardURL  string
	APIKey    string
	client    *http.Client
}

func NewPublisher(db *sql.DB, render func(int64, []Entry) ([]byte, error), boardURL, key string) *Publisher {
	return &Publisher{DB: db, Render: render, BoardURL: boardURL, APIKey: key,
		client: &http.Client{Timeout: 20 * time.Second}}
}

// POST /competitions/{id}/publish — pressed by the scorer once the final heat is in.
func (p *Publisher) PublishResults(w http.ResponseWriter, r *http.Request) {
	compID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "invalid competition", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	rows, err := p.DB.QueryContext(ctx, `
		SELECT e.heat_id, e.shearer_name, e.sheep_shorn, e.time_seconds, e.board_penalties, e.pen_penalties
		FROM shearing_entries e JOIN heats h ON h.id = e.heat_id
		WHERE h.competition_id = $1`, compID)
	if err != nil {
		log.Printf("load entries for competition %d: %v", compID, err)
		http.Error(w, "could not load entries", http.StatusInternalServerError)
		return
	}
	heats := map[int64][]Entry{}
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.HeatID, &e.Shearer, &e.Sheep, &e.TimeSeconds, &e.BoardPens, &e.PenPens); err != nil {
			rows.Close()
			http.Error(w, "could not read entries", http.StatusInternalServerError)
			return
		}
		heats[e.HeatID] = append(heats[e.HeatID], e)
	}
	rows.Close()

	published := 0
	for heatID, entries := range heats {
		sort.Slice(entries, func(i, j int) bool { return entries[i].Points() < entries[j].Points() })
		pdf, err := p.Render(heatID, entries)
		if err != nil {
			log.Printf("render heat %d: %v", heatID, err)
			http.Error(w, fmt.Sprintf("could not render heat %d", heatID), http.StatusInternalServerError)
			return
		}
		if err := p.upload(ctx, heatID, pdf); err != nil {
			log.Printf("upload heat %d: %v", heatID, err)
			http.Error(w, fmt.Sprintf("results board rejected heat %d", heatID), http.StatusBadGateway)
			return
		}
		published++
	}
	fmt.Fprintf(w, `{"published_heats": %d}`, published)
}

func (p *Publisher) upload(ctx context.Context, heatID int64, pdf []byte) error {
	url := fmt.Sprintf("%s/heats/%d/scorecard", p.BoardURL, heatID)
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(pdf))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/pdf")
		req.Header.Set("Authorization", "Bearer "+p.APIKey)
		resp, err := p.client.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode < 300 {
			return nil
		}
		lastErr = fmt.Errorf("results board status %d", resp.StatusCode)
	}
	return lastErr
}
