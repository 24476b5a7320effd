package defence

// Thesis defence scheduling: students book a room slot, the committee gets a
// calendar invite, and the calendar provider pushes RSVP notifications back.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

type API struct {
	DB       *sql.DB
	Log      *slog.Logger
	Calendar *http.Client // built in main: &http.Client{Timeout: 10 * time.Second}
	CalURL   string
}

func (a *API) Routes(r chi.Router) {
	r.Get("/rooms/{room}/defences", a.listDefences)
	r.Post("/rooms/{room}/defences", a.bookSlot)
	r.Post("/hooks/calendar", a.calendarHook)
}

type Defence struct {
	ID       int64     `json:"id"`
	Student  string    `json:"student"`
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
}

// listDefences pages through a room's schedule by start time (keyset).
func (a *API) listDefences(w http.ResponseWriter, r *http.Request) {
	after, err := time.Parse(time.RFC3339, r.URL.Query().Get("after"))
	if err != nil {
		after = time.Now()
	}
	rows, err := a.DB.QueryContext(r.Context(), `
		SELECT id, student_name, thesis_title, starts_at
		  FROM defences
		 WHERE room_id = $1 AND starts_at > $2
		 ORDER BY starts_at
		 LIMIT 50`, chi.URLParam(r, "room"), after)
	if err != nil {
		a.Log.Error("list defences", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	out := make([]Defence, 0, 50)
	for rows.Next() {
		var d Defence
		if err := rows.Scan(&d.ID, &d.Student, &d.Title, &d.StartsAt); err != nil {
			a.Log.Error("scan defence", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		out = append(out, d)
	}
	json.NewEncoder(w).Encode(out)
}

type bookReq struct {
	Student  string    `json:"student"`
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
	Emails   []string  `json:"committee_emails"`
}

// bookSlot relies on UNIQUE (room_id, starts_at): the insert either wins the
// slot or does nothing, no pre-check needed.
func (a *API) bookSlot(w http.ResponseWriter, r *http.Request) {
	var req bookReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	room, _ := strconv.ParseInt(chi.URLParam(r, "room"), 10, 64)

	var id int64
	err := a.DB.QueryRowContext(r.Context(), `
		INSERT INTO defences (room_id, student_name, thesis_title, starts_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (room_id, starts_at) DO NOTHING
		RETURNING id`, room, req.Student, req.Title, req.StartsAt).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "slot already booked", http.StatusConflict)
		return
	}
	if err != nil {
		a.Log.Error("book slot", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	if err := a.sendInvite(r.Context(), id, req); err != nil {
		// booking stands; the outbox sweeper re-sends invites that failed here
		a.Log.Warn("calendar invite failed, queued for retry", "defence", id, "err", err)
		if _, err := a.DB.ExecContext(r.Context(), `INSERT INTO invite_outbox (defence_id) VALUES ($1)`, id); err != nil {
			a.Log.Error("queue invite retry", "defence", id, "err", err)
		}
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"id": id})
}

func (a *API) sendInvite(ctx context.Context, id int64, req bookReq) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	body, _ := json.Marshal(map[string]any{"ref": id, "start": req.StartsAt, "attendees": req.Emails})
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, a.CalURL+"/events", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := a.Calendar.Do(hreq)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("calendar: status %d", resp.StatusCode)
	}
	return nil
}

// calendarHook records RSVPs. Notifications are deduplicated on the
// provider's notification id before anything is applied.
func (a *API) calendarHook(w http.ResponseWriter, r *http.Request) {
	var n struct {
		NotificationID string `json:"notification_id"`
		Ref            int64  `json:"ref"`
		Email          string `json:"email"`
		Response       string `json:"response"`
	}
	if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	tx, err := a.DB.BeginTx(r.Context(), nil)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(r.Context(),
		`INSERT INTO calendar_notifications (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, n.NotificationID)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if k, _ := res.RowsAffected(); k == 0 {
		w.WriteHeader(http.StatusOK) // already processed
		return
	}
	if _, err := tx.ExecContext(r.Context(), `
		UPDATE committee_members SET rsvp = $1
		 WHERE defence_id = $2 AND email = $3`, n.Response, n.Ref, n.Email); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		a.Log.Error("commit rsvp", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
