// Mollie payment webhook for one-off wine orders (gift boxes).
// plans is loaded once at start-up from config and never written afterwards.
var plans sync.Map // plan code -> Plan

func LoadPlans(cfg []Plan) {
	for _, p := range cfg {
		plans.Store(p.Code, p)
	}
}

func (s *Server) HandleMollieWebhook(w http.ResponseWriter, r *http.Request) {
	paymentID := r.FormValue("id")
	if paymentID == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()

	p, err := s.mollie.GetPayment(ctx, paymentID) // client built with Timeout: 8s in NewServer
	if err != nil {
		log.Printf("mollie get payment %s: %v", paymentID, err)
		w.WriteHeader(http.StatusBadGateway) // Mollie retries
		return
	}
	if p.Status != "paid" {
		w.WriteHeader(http.StatusOK)
		return
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO processed_payments (provider, payment_id) VALUES ('mollie', $1) ON CONFLICT DO NOTHING`, paymentID)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		w.WriteHeader(http.StatusOK) // already handled
		return
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE gift_orders SET status = 'paid', paid_at = now() WHERE mollie_payment_id = $1`, paymentID); err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("commit payment %s: %v", paymentID, err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
