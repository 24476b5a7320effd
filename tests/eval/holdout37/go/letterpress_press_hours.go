package studio

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

// Press-room endpoints for the letterpress studio members' portal.
// Both are hit from the portal home page, so we keep the results in Redis.

type Member struct{ ID int64 }

type memberKey struct{}

type PressHours struct {
	db  *sql.DB
	rdb *redis.Client
}

type monthRow struct {
	Press   string  `json:"press"`
	Month   string  `json:"month"`
	Hours   float64 `json:"hours"`
	Members int     `json:"members"`
}

const summaryKey = "letterpress:press-hours:summary:v2"

// Summary serves GET /api/press-hours/summary (the "Press room" tile).
func (p *PressHours) Summary(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()

	raw, err := p.rdb.Get(ctx, summaryKey).Bytes()
	if err == nil {
		writeJSON(w, raw)
		return
	}
	if !errors.Is(err, redis.Nil) {
		log.Printf("summary cache read: %v", err)
	}

	rows, err := p.db.QueryContext(ctx, `
		SELECT pr.name,
		       to_char(date_trunc('month', b.starts_at), 'YYYY-MM') AS month,
		       sum(extract(epoch FROM b.ends_at - b.starts_at)) / 3600.0 AS hours,
		       count(DISTINCT b.member_id) AS members
		FROM press_bookings b
		JOIN presses pr ON pr.id = b.press_id
		WHERE b.starts_at >= now() - interval '24 months'
		GROUP BY pr.name, month
		ORDER BY month, pr.name`)
	if err != nil {
		log.Printf("summary query: %v", err)
		http.Error(w, "could not build summary", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	var out []monthRow
	for rows.Next() {
		var m monthRow
		if err := rows.Scan(&m.Press, &m.Month, &m.Hours, &m.Members); err != nil {
			http.Error(w, "could not build summary", http.StatusInternalServerError)
			return
		}
		out = append(out, m)
	}

	raw, err = json.Marshal(out)
	if err != nil {
		http.Error(w, "could not encode summary", http.StatusInternalServerError)
		return
	}
	if err := p.rdb.Set(ctx, summaryKey, raw, 15*time.Minute).Err(); err != nil {
		log.Printf("summary cache write: %v", err)
	}
	writeJSON(w, raw)
}

// Availability serves GET /api/presses/availability?week=2024-06-03:
// free two-hour slots on the Vandercook, the Adana and the Albion for that week.
func (p *PressHours) Availability(w http.ResponseWriter, r *http.Request) {
	member, ok := r.Context().Value(memberKey{}).(Member)
	if !ok {
		http.Error(w, "sign in first", http.StatusUnauthorized)
		return
	}
	week := r.URL.Query().Get("week")
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	key := fmt.Sprintf("letterpress:availability:%d:%s", member.ID, week)
	if raw, err := p.rdb.Get(ctx, key).Bytes(); err == nil {
		writeJSON(w, raw)
		return
	}

	var raw []byte
	err := p.db.QueryRowContext(ctx,
		`SELECT coalesce(json_agg(s ORDER BY s.slot_start), '[]') FROM press_free_slots($1::date) s`, week).Scan(&raw)
	if err != nil {
		log.Printf("availability %s: %v", week, err)
		http.Error(w, "could not load availability", http.StatusInternalServerError)
		return
	}
	if err := p.rdb.Set(ctx, key, raw, 5*time.Minute).Err(); err != nil {
		log.Printf("availability cache write: %v", err)
	}
	writeJSON(w, raw)
}

func writeJSON(w http.ResponseWriter, raw []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(raw)
}
