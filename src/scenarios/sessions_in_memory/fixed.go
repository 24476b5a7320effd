package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Sessions live in Redis, so whichever replica serves the next request finds them.
var rdb = redis.NewClient(&redis.Options{Addr: "redis:6379"})

const sessionTTL = 24 * time.Hour

func Login(w http.ResponseWriter, r *http.Request) {
	userID, err := checkPassword(r.FormValue("email"), r.FormValue("password"))
	if err != nil {
		http.Error(w, "invalid email or password", http.StatusUnauthorized)
		return
	}
	buf := make([]byte, 32)
	rand.Read(buf)
	id := hex.EncodeToString(buf)
	if err := rdb.Set(r.Context(), "session:"+id, userID, sessionTTL).Err(); err != nil {
		http.Error(w, "could not start a session", http.StatusServiceUnavailable)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: id, HttpOnly: true, Secure: true})
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

func RequireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sid")
		if err != nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		val, err := rdb.Get(r.Context(), "session:"+c.Value).Result()
		userID, convErr := strconv.ParseInt(val, 10, 64)
		if err != nil || convErr != nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(withUser(r.Context(), userID)))
	})
}
