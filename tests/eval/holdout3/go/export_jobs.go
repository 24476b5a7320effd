package reports

// Deployed as the `reports-api` k8s Deployment, replicas: 3 (helm/values.yaml).

import (
	"context"
	"encoding/csv"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

type Event struct {
	ID        int64     `gorm:"primaryKey" json:"id"`
	OrgID     int64     `gorm:"index" json:"org_id"`
	Kind      string    `json:"kind"`
	ActorID   int64     `json:"actor_id"`
	Payload   string    `json:"payload"`
	CreatedAt time.Time `json:"created_at"`
}

type exportJob struct {
	ID        string    `json:"id"`
	OrgID     int64     `json:"-"`
	Status    string    `json:"status"` // queued | running | done | failed
	URL       string    `json:"url,omitempty"`
	Error     string    `json:"error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

var (
	jobsMu sync.RWMutex
	jobs   = map[string]*exportJob{}
)

func RegisterRoutes(r *gin.Engine, db *gorm.DB, store BlobStore) {
	r.GET("/orgs/:org/events", listEvents(db))
	r.POST("/orgs/:org/exports", startExport(db, store))
	r.GET("/orgs/:org/exports/:id", exportStatus)
}

func listEvents(db *gorm.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		orgID, _ := strconv.ParseInt(c.Param("org"), 10, 64)
		var events []Event
		if err := db.WithContext(c).Where("org_id = ?", orgID).Order("created_at desc").Find(&events).Error; err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "query failed"})
			return
		}
		c.JSON(http.StatusOK, events)
	}
}

// startExport kicks off the CSV export in the background and returns 202 so
// the request doesn't time out at the gateway.
func startExport(db *gorm.DB, store BlobStore) gin.HandlerFunc {
	return func(c *gin.Context) {
		orgID, _ := strconv.ParseInt(c.Param("org"), 10, 64)
		job := &exportJob{ID: uuid.NewString(), OrgID: orgID, Status: "queued", CreatedAt: time.Now()}

		jobsMu.Lock()
		jobs[job.ID] = job
		jobsMu.Unlock()

		go runExport(context.Background(), db, store, job)
		c.JSON(http.StatusAccepted, job)
	}
}

func runExport(ctx context.Context, db *gorm.DB, store BlobStore, job *exportJob) {
	setStatus(job, "running", "", "")
	w, key := store.NewWriter(ctx, fmt.Sprintf("exports/%d/%s.csv", job.OrgID, job.ID))
	cw := csv.NewWriter(w)

	var batch []Event
	res := db.WithContext(ctx).Where("org_id = ?", job.OrgID).FindInBatches(&batch, 2000, func(tx *gorm.DB, _ int) error {
		for _, e := range batch {
			cw.Write([]string{strconv.FormatInt(e.ID, 10), e.Kind, strconv.FormatInt(e.ActorID, 10), e.CreatedAt.Format(time.RFC3339)})
		}
		cw.Flush()
		return cw.Error()
	})
	if res.Error != nil {
		log.Printf("export %s failed: %v", job.ID, res.Error)
		setStatus(job, "failed", "", res.Error.Error())
		return
	}
	if err := w.Close(); err != nil {
		setStatus(job, "failed", "", err.Error())
		return
	}
	setStatus(job, "done", store.PresignedURL(key, 24*time.Hour), "")
}

func setStatus(job *exportJob, status, url, errMsg string) {
	jobsMu.Lock()
	defer jobsMu.Unlock()
	job.Status, job.URL, job.Error = status, url, errMsg
}

func exportStatus(c *gin.Context) {
	orgID, _ := strconv.ParseInt(c.Param("org"), 10, 64)
	jobsMu.RLock()
	job, ok := jobs[c.Param("id")]
	jobsMu.RUnlock()
	if !ok || job.OrgID != orgID {
		c.JSON(http.StatusNotFound, gin.H{"error": "export not found"})
		return
	}
	c.JSON(http.StatusOK, job)
}
