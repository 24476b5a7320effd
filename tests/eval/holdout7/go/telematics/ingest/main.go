// ingest-gateway receives GPS/CAN position batches from the vehicle trackers
// and forwards them to the stream processor.
//
// Deployment: k8s Deployment "ingest-gateway", replicas: 4, behind the NLB
// (see deploy/ingest-gateway.yaml). Trackers reconnect to any pod.
package main

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"time"
)

// Each tracker may send at most this many batches per minute; firmware bugs
// have caused devices to flood us before.
const perDeviceLimit = 120

type window struct {
	start time.Time
	count int
}

var (
	limiterMu sync.Mutex
	windows   = make(map[string]*window)
)

func allow(deviceID string) bool {
	limiterMu.Lock()
	defer limiterMu.Unlock()
	now := time.Now()
	w, ok := windows[deviceID]
	if !ok || now.Sub(w.start) > time.Minute {
		windows[deviceID] = &window{start: now, count: 1}
		return true
	}
	if w.count >= perDeviceLimit {
		return false
	}
	w.count++
	return true
}

var processorURL = os.Getenv("PROCESSOR_URL")

// forward pushes a batch to the processor, retrying transient failures.
func forward(body []byte) error {
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		resp, err := http.Post(processorURL+"/v1/positions", "application/x-ndjson", bytes.NewReader(body))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			lastErr = fmt.Errorf("processor returned %d", resp.StatusCode)
		} else {
			lastErr = err
		}
		time.Sleep(250 * time.Millisecond)
	}
	return fmt.Errorf("forward failed after retries: %w", lastErr)
}

func ingest(w http.ResponseWriter, r *http.Request) {
	deviceID := r.Header.Get("X-Device-ID")
	if deviceID == "" {
		http.Error(w, "missing device id", http.StatusBadRequest)
		return
	}
	if !allow(deviceID) {
		http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 2<<20))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if err := forward(body); err != nil {
		log.Printf("device=%s: %v", deviceID, err)
		http.Error(w, "upstream unavailable", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/batches", ingest)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	srv := &http.Server{
		Addr:         ":8080",
		Handler:      mux,
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 30 * time.Second,
	}
	log.Printf("ingest-gateway listening on %s", srv.Addr)
	log.Fatal(srv.ListenAndServe())
}
