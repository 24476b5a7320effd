package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

type Session struct {
	UserID  int64
	Expires time.Time
}

var (
	mu       sync.RWMutex
	sessions = map[string]Session{}
)

func Login(w http.ResponseWriter, r *http.Request) {
	userID, err := checkPassword(r.FormValue("email"), r.FormValue("password"))
	if err != nil {
		http.Error(w, "invalid email or password", http.StatusUnauthorized)
		return
	}
	buf := make([]byte, 32)
	rand.Read(buf)
	id := hex.EncodeToString(buf)
	mu.Lock()
	sessions[id] = Session{UserID: userID, Expires: time.Now().Add(24 * time.Hour)}
	mu.Unlock()
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
		mu.RLock()
		s, ok := sessions[c.Value]
		mu.RUnlock()
		if !ok || time.Now().After(s.Expires) {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(withUser(r.Context(), s.UserID)))
	})
}
