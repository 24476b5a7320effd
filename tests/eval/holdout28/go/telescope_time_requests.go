// Package telescope serves the members' portal for the observatory's 0.6 m
// reflector: members file time requests and kick off calibration of their frames.
// Deployed on the club's k3s cluster (deployment "portal", 4 pods behind Traefik).
package telescope

import (
	"context"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.org/observatory/internal/fits"
	"example.org/observatory/internal/store"
)

const (
	submitWindow = time.Hour
	submitLimit  = 10
)

var (
	submitMu      sync.Mutex
	submitHistory = map[string][]time.Time{}
)

// limitSubmissions stops scripts from flooding the request queue.
func limitSubmissions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		client := r.RemoteAddr
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			client = strings.TrimSpace(strings.Split(fwd, ",")[0])
		}

		now := time.Now()
		submitMu.Lock()
		recent := submitHistory[client][:0]
		for _, t := range submitHistory[client] {
			if now.Sub(t) < submitWindow {
				recent = append(recent, t)
			}
		}
		if len(recent) >= submitLimit {
			submitHistory[client] = recent
			submitMu.Unlock()
			w.Header().Set("Retry-After", "600")
			http.Error(w, "too many time requests, try again later", http.StatusTooManyRequests)
			return
		}
		submitHistory[client] = append(recent, now)
		submitMu.Unlock()

		next.ServeHTTP(w, r)
	})
}

type Portal struct {
	Store  *store.Store
	Frames *fits.Archive
}

func (p *Portal) Mount(mux *http.ServeMux) {
	mux.Handle("POST /time-requests", limitSubmissions(http.HandlerFunc(p.createRequest)))
	mux.HandleFunc("POST /time-requests/{id}/calibrate", p.calibrate)
}

func (p *Portal) createRequest(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	req, err := store.DecodeTimeRequest(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, err := p.Store.InsertTimeRequest(ctx, req)
	if err != nil {
		log.Printf("telescope: insert request: %v", err)
		http.Error(w, "could not file request", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Location", "/time-requests/"+id)
	w.WriteHeader(http.StatusCreated)
}

// calibrate applies darks, flats and bias to every light frame of the session
// and writes the calibrated stack next to the raw files. A typical night is
// 300-600 subframes of ~30 MB each.
func (p *Portal) calibrate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	session, err := p.Frames.Session(r.Context(), id)
	if err != nil {
		http.Error(w, "unknown session", http.StatusNotFound)
		return
	}
	master, err := fits.BuildMasters(session.Darks, session.Flats, session.Bias)
	if err != nil {
		http.Error(w, "calibration frames unusable: "+err.Error(), http.StatusUnprocessableEntity)
		return
	}

	calibrated := make([]*fits.Frame, 0, len(session.Lights))
	for _, light := range session.Lights {
		f, err := master.Apply(light)
		if err != nil {
			log.Printf("telescope: frame %s rejected: %v", light.Name, err)
			continue
		}
		calibrated = append(calibrated, f)
	}
	stack, err := fits.MedianStack(calibrated)
	if err != nil {
		http.Error(w, "stacking failed", http.StatusInternalServerError)
		return
	}
	if err := p.Frames.SaveStack(r.Context(), id, stack); err != nil {
		log.Printf("telescope: save stack %s: %v", id, err)
		http.Error(w, "could not save stack", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
