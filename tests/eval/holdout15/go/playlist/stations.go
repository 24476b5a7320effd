// is this ok under load? `stations` is a plain map read by every request,
// and likes are cached per listener. we run 6 pods.

// stations is populated once in main() before the server starts listening
// and never written afterwards (station list changes ship with a deploy).
var stations map[string]Station

func LoadStations(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	m := map[string]Station{}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	stations = m
	return nil
}

// each listener's own liked tracks; bounded LRU (5k entries per pod) with a
// 30s TTL so a like made through another pod shows up quickly
var likesCache = expirable.NewLRU[string, []Track](5000, nil, 30*time.Second)

func (a *App) MyLikes(w http.ResponseWriter, r *http.Request) {
	listenerID := auth.ListenerID(r.Context())
	st, ok := stations[chi.URLParam(r, "station")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	key := st.Slug + ":" + listenerID
	if tracks, ok := likesCache.Get(key); ok {
		writeJSON(w, tracks)
		return
	}
	var tracks []Track
	err := a.DB.SelectContext(r.Context(), &tracks, `
		SELECT t.id, t.title, t.artist, l.liked_at
		  FROM listener_likes l JOIN tracks t ON t.id = l.track_id
		 WHERE l.listener_id = $1 AND l.station_id = $2
		 ORDER BY l.liked_at DESC LIMIT 50`, listenerID, st.ID)
	if err != nil {
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	likesCache.Add(key, tracks)
	writeJSON(w, tracks)
}
