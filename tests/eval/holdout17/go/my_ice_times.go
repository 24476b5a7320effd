// is this safe? caching each skater's own upcoming ice bookings for the app home screen
var myIceTimes = expirable.NewLRU[int64, []Booking](20_000, nil, 30*time.Second)

func (h *Handler) MyIceTimes(w http.ResponseWriter, r *http.Request) {
	uid := auth.UserID(r.Context())
	if b, ok := myIceTimes.Get(uid); ok {
		writeJSON(w, b)
		return
	}
	var b []Booking
	err := h.db.SelectContext(r.Context(), &b, `
		SELECT id, rink_id, surface, starts_at, ends_at FROM ice_bookings
		 WHERE skater_id = $1 AND starts_at > now() ORDER BY starts_at LIMIT 20`, uid)
	if err != nil {
		http.Error(w, "could not load bookings", http.StatusInternalServerError)
		return
	}
	myIceTimes.Add(uid, b)
	writeJSON(w, b)
}
