// is this safe enough for the juror check-in endpoint? people keep hammering
// it on summons morning. we run 4 tasks on ECS behind the ALB.

var (
	hitsMu sync.Mutex
	hits   = map[string][]time.Time{} // pruned by sweepHits every minute
)

const perMinute = 20

func checkinLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := r.Header.Get("X-Forwarded-For")
		if ip == "" {
			ip, _, _ = net.SplitHostPort(r.RemoteAddr)
		}
		now := time.Now()
		hitsMu.Lock()
		recent := hits[ip][:0]
		for _, t := range hits[ip] {
			if now.Sub(t) < time.Minute {
				recent = append(recent, t)
			}
		}
		hits[ip] = append(recent, now)
		over := len(hits[ip]) > perMinute
		hitsMu.Unlock()
		if over {
			http.Error(w, "too many requests", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
