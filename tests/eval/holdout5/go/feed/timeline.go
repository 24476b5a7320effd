package feed

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

type Post struct {
	ID        int64     `db:"id" json:"id"`
	AuthorID  int64     `db:"author_id" json:"author_id"`
	Body      string    `db:"body" json:"body"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	Author    *Author   `db:"-" json:"author,omitempty"`
}

type Author struct {
	ID          int64  `db:"id" json:"id"`
	Handle      string `db:"handle" json:"handle"`
	DisplayName string `db:"display_name" json:"display_name"`
	AvatarURL   string `db:"avatar_url" json:"avatar_url"`
}

type Service struct {
	db    *sqlx.DB
	rdb   *redis.Client
	group singleflight.Group
}

// GET /v1/timeline?before=<post id>
func (s *Service) Timeline(c *gin.Context) {
	userID := c.GetInt64("user_id")
	before, err := strconv.ParseInt(c.DefaultQuery("before", "0"), 10, 64)
	if err != nil || before <= 0 {
		before = 1<<63 - 1
	}

	var posts []Post
	err = s.db.SelectContext(c, &posts, `
		SELECT p.id, p.author_id, p.body, p.created_at
		FROM posts p
		JOIN follows f ON f.followee_id = p.author_id AND f.follower_id = $1
		WHERE p.id < $2
		ORDER BY p.id DESC
		LIMIT 30`, userID, before)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "timeline unavailable"})
		return
	}

	// Load all authors for this page in one round trip.
	ids := make([]int64, 0, len(posts))
	for _, p := range posts {
		ids = append(ids, p.AuthorID)
	}
	var authors []Author
	if len(ids) > 0 {
		if err := s.db.SelectContext(c, &authors,
			`SELECT id, handle, display_name, avatar_url FROM users WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "timeline unavailable"})
			return
		}
	}
	byID := make(map[int64]*Author, len(authors))
	for i := range authors {
		byID[authors[i].ID] = &authors[i]
	}
	for i := range posts {
		posts[i].Author = byID[posts[i].AuthorID]
	}

	var next int64
	if len(posts) > 0 {
		next = posts[len(posts)-1].ID
	}
	c.JSON(http.StatusOK, gin.H{"posts": posts, "next_before": next})
}

const trendingKey = "feed:trending:v1"

// Trending hashtags over the last hour. Recomputed at most once per expiry:
// concurrent misses share a single query through singleflight.
func (s *Service) Trending(ctx context.Context) ([]string, error) {
	if raw, err := s.rdb.Get(ctx, trendingKey).Bytes(); err == nil {
		var tags []string
		if json.Unmarshal(raw, &tags) == nil {
			return tags, nil
		}
	} else if !errors.Is(err, redis.Nil) {
		return nil, err
	}

	v, err, _ := s.group.Do(trendingKey, func() (interface{}, error) {
		var tags []string
		err := s.db.SelectContext(ctx, &tags, `
			SELECT tag FROM post_hashtags
			WHERE created_at > now() - interval '1 hour'
			GROUP BY tag ORDER BY count(*) DESC LIMIT 10`)
		if err != nil {
			return nil, err
		}
		raw, _ := json.Marshal(tags)
		s.rdb.Set(ctx, trendingKey, raw, 2*time.Minute)
		return tags, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]string), nil
}
