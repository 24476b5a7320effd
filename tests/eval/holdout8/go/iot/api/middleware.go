// RateLimit limits each hub API key to `limit` requests per minute.
// Counters live in Redis so all 6 api pods share them.
func RateLimit(rdb *redis.Client, limit int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		hubKey := c.GetString("hubKeyID") // set by the API-key auth middleware
		bucket := fmt.Sprintf("rl:hub:%s:%d", hubKey, time.Now().Unix()/60)

		pipe := rdb.TxPipeline()
		incr := pipe.Incr(c, bucket)
		pipe.Expire(c, bucket, 2*time.Minute)
		if _, err := pipe.Exec(c); err != nil {
			// fail open, but make it visible
			log.Printf("ratelimit redis error (hub %s): %v", hubKey, err)
			c.Next()
			return
		}
		if n := incr.Val(); n > limit {
			c.Header("Retry-After", strconv.Itoa(60-int(time.Now().Unix()%60)))
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "rate limit exceeded"})
			return
		}
		c.Next()
	}
}
