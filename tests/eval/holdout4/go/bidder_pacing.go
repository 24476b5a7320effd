// pacing + win notifications for the bidder. this runs inside every bidder pod (6 of them behind the exchange LB)

var (
	spendMu       sync.Mutex
	campaignSpend = map[string]int64{} // campaign id -> micros spent today, reset at midnight UTC
)

// canBid() checks campaignSpend[c.ID] < c.DailyBudgetMicros before every bid
func recordWin(campaignID string, priceMicros int64) {
	spendMu.Lock()
	campaignSpend[campaignID] += priceMicros
	spendMu.Unlock()
}

// notify the advertiser's tracking endpoint; they are flaky so retry a few times
func notifyWin(trackURL string, payload []byte) error {
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		resp, err := http.Post(trackURL, "application/json", bytes.NewReader(payload))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
			err = fmt.Errorf("tracker returned %d", resp.StatusCode)
		}
		lastErr = err
		time.Sleep(250 * time.Millisecond)
	}
	return lastErr
