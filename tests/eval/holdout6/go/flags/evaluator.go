package flags

import (
	"database/sql"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

type Flag struct {
	Key      string   `json:"key"`
	Enabled  bool     `json:"enabled"`
	Rollout  int      `json:"rollout"` // 0-100
	Segments []string `json:"segments"`
}

type Server struct {
	DB  *sql.DB
	RDB *redis.Client
}

// segment membership lookups are slow (they hit the CRM replica), memoize them
var (
	segMu      sync.RWMutex
	segMembers = map[string]map[string]bool{} // userID -> set of segments
)

// GET /v1/evaluate?env=prod&user=123
func (s *Server) Evaluate(c *gin.Context) {
	env, userID := c.Query("env"), c.Query("user")
	ctx := c.Request.Context()

	var defs []Flag
	cacheKey := "flagdefs:" + env + ":" + userID
	if raw, err := s.RDB.Get(ctx, cacheKey).Bytes(); err == nil {
		json.Unmarshal(raw, &defs)
	} else {
		var blob []byte
		if err := s.DB.QueryRowContext(ctx,
			`SELECT definitions FROM flag_snapshots WHERE env = $1 ORDER BY version DESC LIMIT 1`, env).Scan(&blob); err != nil {
			c.JSON(http.StatusOK, gin.H{"flags": map[string]bool{}})
			return
		}
		json.Unmarshal(blob, &defs)
		s.RDB.Set(ctx, cacheKey, blob, 5*time.Minute)
	}

	userSegs, err := s.userSegments(c, userID)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	out := make(map[string]bool, len(defs))
	for _, f := range defs {
		out[f.Key] = f.Enabled && matches(f.Segments, userSegs) && bucket(f.Key, userID) < f.Rollout
	}
	c.JSON(http.StatusOK, gin.H{"flags": out})
}

func (s *Server) userSegments(c *gin.Context, userID string) (map[string]bool, error) {
	segMu.RLock()
	set, ok := segMembers[userID]
	segMu.RUnlock()
	if ok {
		return set, nil
	}
	rows, err := s.DB.QueryContext(c.Request.Context(),
		`SELECT segment FROM segment_members WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set = map[string]bool{}
	for rows.Next() {
		var seg string
		if err := rows.Scan(&seg); err != nil {
			return nil, err
		}
		set[seg] = true
	}
	segMu.Lock()
	segMembers[userID] = set
	segMu.Unlock()
	return set, rows.Err()
}

func matches(want []string, have map[string]bool) bool {
	if len(want) == 0 {
		return true
	}
	for _, seg := range want {
		if have[seg] {
			return true
		}
	}
	return false
}

func bucket(key, userID string) int {
	h := fnv.New32a()
	h.Write([]byte(key + ":" + userID))
	return int(h.Sum32() % 100)
}
