package auth

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// Runs as a Kubernetes Deployment with 3 replicas behind the ingress.
type session struct {
	UserID  int64
	Expires time.Time
}

var (
	sessionsMu sync.RWMutex
	sessions   = make(map[string]session)
)

func newSessionID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func Login(w http.ResponseWriter, r *http.Request) {
	userID, ok := checkPassword(r.FormValue("email"), r.FormValue("password"))
	if !ok {
		http.Error(w, "invalid credentials", http.StatusUnauthorized)
		return
	}
	id := newSessionID()
	sessionsMu.Lock()
	sessions[id] = session{UserID: userID, Expires: time.Now().Add(12 * time.Hour)}
	sessionsMu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: id, HttpOnly: true, Secure: true, Path: "/"})
	w.WriteHeader(http.StatusNoContent)
}

func CurrentUser(r *http.Request) (int64, bool) {
	c, err := r.Cookie("sid")
	if err != nil {
		return 0, false
	}
	sessionsMu.RLock()
	s, ok := sessions[c.Value]
	sessionsMu.RUnlock()
	if !ok || time.Now().After(s.Expires) {
		return 0, false
	}
	return s.UserID, true
}

func checkPassword(email, password string) (int64, bool) { return 1, email != "" && password != "" }
