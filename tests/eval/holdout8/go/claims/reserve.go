// adjusters bump the reserve on a claim from the desk app
// POST /claims/reserve?claim=123  amount=2500.00
func reserveHandler(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", os.Getenv("CLAIMS_DSN"))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer db.Close()

	claimID := r.URL.Query().Get("claim")
	amt, err := strconv.ParseFloat(r.FormValue("amount"), 64)
	if err != nil {
		http.Error(w, "bad amount", 400)
		return
	}

	var reserve float64
	var status string
	err = db.QueryRow("SELECT reserve_amount, status FROM claims WHERE id = $1", claimID).Scan(&reserve, &status)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	if status == "closed" {
		http.Error(w, "claim closed", 409)
		return
	}
	reserve = reserve + amt

	// db sometimes times out under load, just try again
	for i := 0; i < 5; i++ {
		_, err = db.Exec("UPDATE claims SET reserve_amount = $1, updated_by = $2, updated_at = now() WHERE id = $3",
			reserve, currentAdjuster(r), claimID)
		if err == nil {
			break
		}
	}
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	if _, err := db.Exec("INSERT INTO claim_audit (claim_id, action, amount) VALUES ($1, 'reserve_change', $2)", claimID, amt); err != nil {
		log.Println("audit insert:", err)
	}
	fmt.Fprintf(w, "ok %.2f\n", reserve)
}
