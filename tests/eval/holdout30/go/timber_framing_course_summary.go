package courses

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

// Course summary for the timber framing school's public pages: places left,
// waiting list length and the tool list for each week-long course (oak frame,
// scribing, roof carpentry). The numbers are the same for every visitor.

type CourseSummary struct {
	CourseID    int64     `json:"course_id"`
	Title       string    `json:"title"`
	StartsOn    time.Time `json:"starts_on"`
	PlacesLeft  int       `json:"places_left"`
	WaitingList int       `json:"waiting_list"`
	ToolList    []string  `json:"tool_list"`
}

type SummaryHandler struct {
	db    *sql.DB
	cache *expirable.LRU[string, CourseSummary]
	group singleflight.Group
}

func NewSummaryHandler(db *sql.DB) *SummaryHandler {
	return &SummaryHandler{
		db: db,
		// At most 500 course summaries, each kept for 60 seconds.
		cache: expirable.NewLRU[string, CourseSummary](500, nil, 60*time.Second),
	}
}

// GET /courses/:id/summary
func (h *SummaryHandler) Get(c *gin.Context) {
	courseID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad course id"})
		return
	}
	key := fmt.Sprintf("course-summary:%d", courseID)

	if s, ok := h.cache.Get(key); ok {
		c.JSON(http.StatusOK, s)
		return
	}

	// Concurrent misses for the same course share one database load.
	v, err, _ := h.group.Do(key, func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		s, err := h.load(ctx, courseID)
		if err != nil {
			return nil, err
		}
		h.cache.Add(key, s)
		return s, nil
	})
	if err == sql.ErrNoRows {
		c.JSON(http.StatusNotFound, gin.H{"error": "no such course"})
		return
	}
	if err != nil {
		log.Printf("course summary %d: %v", courseID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "summary unavailable"})
		return
	}
	c.JSON(http.StatusOK, v.(CourseSummary))
}

func (h *SummaryHandler) load(ctx context.Context, courseID int64) (CourseSummary, error) {
	s := CourseSummary{CourseID: courseID}
	err := h.db.QueryRowContext(ctx,
		`SELECT c.title, c.starts_on, c.capacity - c.places_taken,
		        (SELECT count(*) FROM course_waitlist w WHERE w.course_id = c.id)
		   FROM courses c
		  WHERE c.id = $1 AND c.published`, courseID).
		Scan(&s.Title, &s.StartsOn, &s.PlacesLeft, &s.WaitingList)
	if err != nil {
		return s, err
	}

	rows, err := h.db.QueryContext(ctx,
		`SELECT tool FROM course_tools WHERE course_id = $1 ORDER BY position LIMIT 40`, courseID)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var tool string
		if err := rows.Scan(&tool); err != nil {
			return s, err
		}
		s.ToolList = append(s.ToolList, tool)
	}
	return s, rows.Err()
}
