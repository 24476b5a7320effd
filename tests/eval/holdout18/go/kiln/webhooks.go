package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

var (
	db          *sql.DB
	whSecret    = os.Getenv("STRIPE_WEBHOOK_SECRET")
	slackHook   = os.Getenv("STUDIO_SLACK_HOOK")
	slackClient = &http.Client{Timeout: 5 * time.Second}
)

// members buy kiln-hour packs through Stripe Checkout
func stripeHook(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 65536))
	if err != nil {
		http.Error(w, "read", 400)
		return
	}
	ev, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), whSecret)
	if err != nil {
		http.Error(w, "sig", 400)
		return
	}
	if ev.Type != "checkout.session.completed" {
		w.WriteHeader(200)
		return
	}
	var cs stripe.CheckoutSession
	if err := json.Unmarshal(ev.Data.Raw, &cs); err != nil {
		http.Error(w, "payload", 400)
		return
	}
	member := cs.Metadata["member_id"]
	hrs, _ := strconv.Atoi(cs.Metadata["kiln_hours"])
	if err := addHours(member, hrs); err != nil {
		log.Println("addHours:", err)
		http.Error(w, "db", 500)
		return
	}
	notifyStudio(fmt.Sprintf("member %s bought %d kiln hours", member, hrs))
	w.WriteHeader(200)
}

func addHours(member string, hrs int) error {
	var cur int
	if err := db.QueryRow("SELECT kiln_hours FROM members WHERE id = $1", member).Scan(&cur); err != nil {
		return err
	}
	_, err := db.Exec("UPDATE members SET kiln_hours = $1 WHERE id = $2", cur+hrs, member)
	return err
}

// book a firing: deduct hours only if the member still has enough
func bookFiring(w http.ResponseWriter, r *http.Request) {
	member, kiln := r.FormValue("member_id"), r.FormValue("kiln_id")
	hrs, _ := strconv.Atoi(r.FormValue("hours"))
	tx, err := db.BeginTx(r.Context(), nil)
	if err != nil {
		http.Error(w, "db", 500)
		return
	}
	defer tx.Rollback()
	res, err := tx.Exec("UPDATE members SET kiln_hours = kiln_hours - $1 WHERE id = $2 AND kiln_hours >= $1", hrs, member)
	if err != nil {
		http.Error(w, "db", 500)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "not enough kiln hours", 409)
		return
	}
	if _, err := tx.Exec("INSERT INTO firings (member_id, kiln_id, hours, booked_at) VALUES ($1, $2, $3, now())", member, kiln, hrs); err != nil {
		http.Error(w, "db", 500)
		return
	}
	if err := tx.Commit(); err != nil {
		http.Error(w, "db", 500)
		return
	}
	w.WriteHeader(201)
}

func notifyStudio(msg string) {
	body, _ := json.Marshal(map[string]string{"text": msg})
	for attempt := 0; attempt < 5; attempt++ {
		resp, err := slackClient.Post(slackHook, "application/json", bytes.NewReader(body))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return
			}
		}
		time.Sleep(2 * time.Second)
	}
	log.Println("slack notify gave up:", msg)
}

func main() {
	var err error // package-level pool, shared by all handlers
	if db, err = sql.Open("postgres", os.Getenv("DATABASE_URL")); err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/webhooks/stripe", stripeHook)
	http.HandleFunc("/firings", bookFiring)
	log.Fatal(http.ListenAndServe(":8000", nil))
}
