// ClubHub (the booking app the captains use) posts an event whenever a crew
// signs a boat back in. We mirror outings into the club database for the
// boat log and keep a running hull-hours total that drives the servicing
// schedule for the eights and quads.

type clubHubEvent struct {
	ID   string `json:"id"`
	Type string `json:"type"` // "outing.completed", "outing.cancelled", ...
	Data struct {
		OutingID  string    `json:"outing_id"`
		BoatID    int64     `json:"boat_id"`
		CrewSize  int       `json:"crew_size"`
		Cox       string    `json:"cox"`
		StartedAt time.Time `json:"started_at"`
		EndedAt   time.Time `json:"ended_at"`
	} `json:"data"`
}

type Handler struct {
	DB            *sql.DB
	SigningSecret []byte
}

func (h *Handler) validSignature(body []byte, header string) bool {
	mac := hmac.New(sha256.New, h.SigningSecret)
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(header))
}

func (h *Handler) ClubHubWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "could not read body", http.StatusBadRequest)
		return
	}
	if !h.validSignature(body, r.Header.Get("X-ClubHub-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}

	var ev clubHubEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if ev.Type != "outing.completed" {
		w.WriteHeader(http.StatusNoContent)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("clubhub %s: begin: %v", ev.ID, err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	_, err = tx.ExecContext(ctx, `
		INSERT INTO boat_outings (boat_id, crew_size, cox, started_at, ended_at)
		VALUES ($1, $2, $3, $4, $5)`,
		ev.Data.BoatID, ev.Data.CrewSize, ev.Data.Cox, ev.Data.StartedAt, ev.Data.EndedAt)
	if err != nil {
		log.Printf("clubhub %s: insert outing: %v", ev.ID, err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}

	var hullHours float64
	err = tx.QueryRowContext(ctx, `SELECT hull_hours FROM boats WHERE id = $1`, ev.Data.BoatID).Scan(&hullHours)
	if err != nil {
		log.Printf("clubhub %s: boat %d: %v", ev.ID, ev.Data.BoatID, err)
		http.Error(w, "unknown boat", http.StatusUnprocessableEntity)
		return
	}
	hullHours += ev.Data.EndedAt.Sub(ev.Data.StartedAt).Hours()

	_, err = tx.ExecContext(ctx,
		`UPDATE boats SET hull_hours = $1, last_out_at = $2 WHERE id = $3`,
		hullHours, ev.Data.EndedAt, ev.Data.BoatID)
	if err != nil {
		log.Printf("clubhub %s: update boat: %v", ev.ID, err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}

	if err := tx.Commit(); err != nil {
		log.Printf("clubhub %s: commit: %v", ev.ID, err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
