package courses

import (
	"context"
	"database/sql"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// Dry-stone walling association course pages. Courses take 8-12 trainees,
// so places go within minutes of the spring programme being published.
type Handlers struct {
	DB *sql.DB
}

var (
	errCourseFull    = errors.New("course full")
	errAlreadyBooked = errors.New("already booked")
)

func (h *Handlers) Register(r *gin.RouterGroup) {
	r.GET("/courses", h.upcoming)
	r.POST("/courses/:id/places", h.takePlace)
}

type courseRow struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Venue      string    `json:"venue"`
	StartsOn   time.Time `json:"starts_on"`
	PlacesLeft int       `json:"places_left"`
}

func (h *Handlers) upcoming(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	rows, err := h.DB.QueryContext(ctx, `
		SELECT id, title, venue, starts_on, places_left
		  FROM walling_courses
		 WHERE starts_on >= current_date
		 ORDER BY starts_on
		 LIMIT 40`)
	if err != nil {
		log.Printf("walling: list courses: %v", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load courses"})
		return
	}
	defer rows.Close()
	out := make([]courseRow, 0, 40)
	for rows.Next() {
		var cr courseRow
		if err := rows.Scan(&cr.ID, &cr.Title, &cr.Venue, &cr.StartsOn, &cr.PlacesLeft); err != nil {
			log.Printf("walling: scan course: %v", err)
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load courses"})
			return
		}
		out = append(out, cr)
	}
	c.JSON(http.StatusOK, out)
}

func (h *Handlers) takePlace(c *gin.Context) {
	courseID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "bad course id"})
		return
	}
	traineeID := c.GetInt64("traineeID")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()
	err = h.reservePlace(ctx, courseID, traineeID)
	switch {
	case errors.Is(err, errCourseFull):
		c.JSON(http.StatusConflict, gin.H{"error": "this course is full - join the waiting list"})
	case errors.Is(err, errAlreadyBooked):
		c.JSON(http.StatusConflict, gin.H{"error": "you already have a place on this course"})
	case err != nil:
		log.Printf("walling: reserve course=%d trainee=%d: %v", courseID, traineeID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not reserve a place"})
	default:
		c.JSON(http.StatusCreated, gin.H{"course_id": courseID, "status": "booked"})
	}
}

// reservePlace decrements places_left only while it is still positive and
// records the enrolment in the same transaction; (course_id, trainee_id)
// is the enrolments primary key.
func (h *Handlers) reservePlace(ctx context.Context, courseID, traineeID int64) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `
		UPDATE walling_courses
		   SET places_left = places_left - 1
		 WHERE id = $1 AND places_left > 0 AND opens_at <= now()`, courseID)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errCourseFull
	}

	res, err = tx.ExecContext(ctx, `
		INSERT INTO walling_enrolments (course_id, trainee_id, booked_at)
		VALUES ($1, $2, now())
		ON CONFLICT (course_id, trainee_id) DO NOTHING`, courseID, traineeID)
	if err != nil {
		return err
	}
	if n, err = res.RowsAffected(); err != nil {
		return err
	}
	if n == 0 {
		return errAlreadyBooked // the deferred rollback gives the place back
	}
	return tx.Commit()
}
