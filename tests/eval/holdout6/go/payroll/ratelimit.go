// limit payslip PDF downloads per client, 20/min. payroll-api runs 3 replicas behind nginx
type window struct {
	count int
	start time.Time
}

var (
	rlMu    sync.Mutex
	windows = make(map[string]*window)
)

func RateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-For"), ",")[0])
		if ip == "" {
			ip, _, _ = net.SplitHostPort(r.RemoteAddr)
		}
		rlMu.Lock()
		win, ok := windows[ip]
		if !ok || time.Since(win.start) > time.Minute {
			win = &window{start: time.Now()}
			windows[ip] = win
		}
		win.count++
		over := win.count > 20
		rlMu.Unlock()
		if over {
			http.Error(w, "too many requests", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
