// redirect service for sho.rt links
// runs on 4 pods behind the nginx ingress (see deploy/k8s/redirect.yaml)
package main

import (
	"database/sql"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	_ "github.com/lib/pq"

	"sho.rt/internal/analytics"
)

const (
	perMinute = 120
)

type window struct {
	count int
	reset time.Time
}

var (
	db *sql.DB

	// code -> target url
	targets sync.Map

	limMu  sync.Mutex
	limits = map[string]*window{}

	clicks = make(chan analytics.Click, 4096)
)

func clientIP(r *http.Request) string {
	if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
		return strings.TrimSpace(strings.Split(xff, ",")[0])
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	return host
}

func allow(ip string) bool {
	limMu.Lock()
	defer limMu.Unlock()
	now := time.Now()
	w, ok := limits[ip]
	if !ok || now.After(w.reset) {
		limits[ip] = &window{count: 1, reset: now.Add(time.Minute)}
		return true
	}
	w.count++
	return w.count <= perMinute
}

func janitor() {
	for range time.Tick(time.Minute) {
		limMu.Lock()
		now := time.Now()
		for k, w := range limits {
			if now.After(w.reset) {
				delete(limits, k)
			}
		}
		limMu.Unlock()
	}
}

func redirect(w http.ResponseWriter, r *http.Request) {
	ip := clientIP(r)
	if !allow(ip) {
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	code := strings.TrimPrefix(r.URL.Path, "/")
	if code == "" {
		http.NotFound(w, r)
		return
	}

	var target string
	if v, ok := targets.Load(code); ok {
		target = v.(string)
	} else {
		err := db.QueryRowContext(r.Context(),
			`SELECT target_url FROM links WHERE code = $1 AND disabled = false`, code).Scan(&target)
		if err == sql.ErrNoRows {
			http.NotFound(w, r)
			return
		} else if err != nil {
			log.Printf("lookup %s: %v", code, err)
			http.Error(w, "error", 500)
			return
		}
		targets.Store(code, target)
	}

	select {
	case clicks <- analytics.Click{Code: code, IP: ip, UA: r.UserAgent(), At: time.Now()}:
	default:
		// buffer full, drop the analytics event rather than slow the redirect
	}
	http.Redirect(w, r, target, http.StatusFound)
}

func main() {
	var err error
	db, err = sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(20)
	go janitor()
	go analytics.BatchWriter(db, clicks) // COPY into click_events every 2s
	http.HandleFunc("/", redirect)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
