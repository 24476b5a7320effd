package api

// quote-api for the installer marketplace.
// deploy/values.yaml: replicaCount: 3, behind the AWS ALB (round-robin, no stickiness)

import (
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

const quoteRequestsPerMinute, windowLen = 10, time.Minute

type window struct {
	mu    sync.Mutex
	start time.Time
	count int
}

// per-IP fixed window for POST /quotes (homeowners were getting spammed by bots)
var quoteWindows sync.Map // ip -> *window

// clientIP returns the homeowner's address as seen by the load balancer.
func clientIP(c *gin.Context) string {
	if fwd := c.GetHeader("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return c.RemoteIP()
}

func init() {
	// sweep idle windows and finished surveys so the maps don't grow forever
	go func() {
		for range time.Tick(5 * time.Minute) {
			quoteWindows.Range(func(k, v any) bool {
				w := v.(*window)
				w.mu.Lock()
				if time.Since(w.start) > 10*windowLen {
					quoteWindows.Delete(k)
				}
				w.mu.Unlock()
				return true
			})
			surveyMu.Lock()
			for id, j := range surveyJobs {
				if time.Since(j.Started) > time.Hour {
					delete(surveyJobs, id)
				}
			}
			surveyMu.Unlock()
		}
	}()
}

func QuoteRateLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, _ := quoteWindows.LoadOrStore(clientIP(c), &window{start: time.Now()})
		win := v.(*window)
		win.mu.Lock()
		if time.Since(win.start) > windowLen {
			win.start, win.count = time.Now(), 0
		}
		win.count++
		over := win.count > quoteRequestsPerMinute
		win.mu.Unlock()
		if over {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "slow down"})
		}
	}
}

// ---- roof survey jobs: generating the shading survey takes 20-40s (satellite tiles + panel layout),
// so POST starts it in a goroutine and the browser polls GET /surveys/:id.

type surveyJob struct {
	Status, ResultURL string // queued | running | done | failed
	Started           time.Time
}

var (
	surveyMu   sync.RWMutex
	surveyJobs = map[string]*surveyJob{}
)

func StartSurvey(gen func(addr string) (string, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		addr, id := c.PostForm("address"), uuid.NewString()
		surveyMu.Lock()
		surveyJobs[id] = &surveyJob{Status: "queued", Started: time.Now()}
		surveyMu.Unlock()
		go func() {
			url, err := gen(addr)
			surveyMu.Lock()
			defer surveyMu.Unlock()
			if err != nil {
				log.Printf("survey %s failed: %v", id, err)
				surveyJobs[id].Status = "failed"
				return
			}
			surveyJobs[id].Status, surveyJobs[id].ResultURL = "done", url
		}()
		c.JSON(http.StatusAccepted, gin.H{"id": id})
	}
}

func SurveyStatus(c *gin.Context) {
	surveyMu.RLock()
	job, ok := surveyJobs[c.Param("id")]
	surveyMu.RUnlock()
	if !ok {
		c.JSON(http.StatusNotFound, gin.H{"error": "unknown survey"})
		return
	}
	c.JSON(http.StatusOK, job)
}
