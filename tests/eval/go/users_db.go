package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"

	_ "github.com/lib/pq"
)

func userHandler(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer db.Close()

	var name, email string
	if err := db.QueryRowContext(r.Context(), "SELECT name, email FROM users WHERE id = $1",
		r.URL.Query().Get("id")).Scan(&name, &email); err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"name": name, "email": email})
}

func main() {
	http.HandleFunc("/user", userHandler)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
