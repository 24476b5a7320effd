// is this safe? accepting a bus charter quote. works fine locally
func acceptQuote(w http.ResponseWriter, r *http.Request) {
	db, _ := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	defer db.Close()
	res, err := db.ExecContext(r.Context(), `UPDATE charter_quotes SET status = 'accepted', accepted_at = now()
		WHERE id = $1 AND status = 'sent' AND valid_until > now()`, chi.URLParam(r, "quoteID"))
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "quote expired or already handled", http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
