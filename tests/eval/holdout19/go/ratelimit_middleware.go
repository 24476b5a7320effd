// is this rate limiter safe to ship? it sits in front of POST /rooms/{id}/book
// on the coworking booking API (3 machines on fly.io, fly-proxy in front)

var (
	mu     sync.Mutex
	counts = map[string]*window{} // ip -> requests in the current minute
)

type window struct {
	start time.Time
	n     int
}

func clientIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	return host
}

func RateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := clientIP(r)
		mu.Lock()
		win, ok := counts[ip]
		if !ok || time.Since(win.start) > time.Minute {
			win = &window{start: time.Now()}
			counts[ip] = win
		}
		win.n++
		over := win.n > 20
		mu.Unlock()
		if over {
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
