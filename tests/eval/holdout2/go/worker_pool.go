package jobs

import (
	"context"
	"log"
	"net/http"
	"time"
)

type Job struct {
	ID  string
	URL string
}

var client = &http.Client{Timeout: 10 * time.Second}

// Run drains the queue with a fixed pool of workers.
func Run(ctx context.Context, queue <-chan Job, workers int) {
	for i := 0; i < workers; i++ {
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case j := <-queue:
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, j.URL, nil)
					resp, err := client.Do(req)
					if err != nil {
						log.Printf("job %s: %v", j.ID, err)
						continue
					}
					resp.Body.Close()
				}
			}
		}()
	}
}
