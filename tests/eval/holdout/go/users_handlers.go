package users

import (
	"encoding/json"
	"net/http"

	"github.com/jmoiron/sqlx"
)

type User struct {
	ID    int64  `db:"id" json:"id"`
	Email string `db:"email" json:"email"`
	Name  string `db:"name" json:"name"`
}

type API struct{ DB *sqlx.DB }

func (a *API) List(w http.ResponseWriter, r *http.Request) {
	var users []User
	if err := a.DB.SelectContext(r.Context(), &users, `SELECT id, email, name FROM users ORDER BY id`); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(users)
}

func (a *API) Register(w http.ResponseWriter, r *http.Request) {
	var u User
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	var exists bool
	if err := a.DB.GetContext(r.Context(), &exists, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, u.Email); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if exists {
		http.Error(w, "email taken", http.StatusConflict)
		return
	}
	if _, err := a.DB.ExecContext(r.Context(), `INSERT INTO users (email, name) VALUES ($1, $2)`, u.Email, u.Name); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}
