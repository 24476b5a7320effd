// fleet/status.go (part of vendops) -- pulled out the bits that talk to the telemetry gateway

var (
	telemetryBase = os.Getenv("TELEMETRY_URL") // e.g. https://tgw.vendops.internal
	httpc         = &http.Client{}

	salesMu    sync.Mutex
	salesCache = map[string][]SalesRow{} // key: machine|from|to
)

type MachineStatus struct {
	Serial    string    `json:"serial"`
	Online    bool      `json:"online"`
	TempC     float64   `json:"temp_c"`
	CoinsFull bool      `json:"coins_full"`
	EmptySlot []string  `json:"empty_slots"`
	SeenAt    time.Time `json:"seen_at"`
}

type SalesRow struct {
	Slot  string `json:"slot"`
	Units int    `json:"units"`
	Cents int    `json:"cents"`
}

// the gateway drops requests when a modem reconnects, so just keep trying
func fetchStatus(ctx context.Context, serial string) (*MachineStatus, error) {
	for attempt := 0; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, "GET", telemetryBase+"/machines/"+serial+"/status", nil)
		resp, err := httpc.Do(req)
		if err == nil && resp.StatusCode == 200 {
			defer resp.Body.Close()
			var st MachineStatus
			if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
				return nil, err
			}
			return &st, nil
		}
		if resp != nil {
			resp.Body.Close()
		}
		log.Printf("status %s attempt %d failed: %v", serial, attempt, err)
		time.Sleep(250 * time.Millisecond)
	}
}

func statusHandler(w http.ResponseWriter, r *http.Request) {
	serial := r.PathValue("serial")
	st, err := fetchStatus(r.Context(), serial)
	if err != nil {
		http.Error(w, err.Error(), 502)
		return
	}
	json.NewEncoder(w).Encode(st)
}

// GET /machines/{serial}/sales?from=2024-05-01&to=2024-05-31
func salesHandler(w http.ResponseWriter, r *http.Request) {
	serial := r.PathValue("serial")
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	key := serial + "|" + from + "|" + to

	salesMu.Lock()
	rows, ok := salesCache[key]
	salesMu.Unlock()
	if !ok {
		u := fmt.Sprintf("%s/machines/%s/sales?from=%s&to=%s", telemetryBase, serial, url.QueryEscape(from), url.QueryEscape(to))
		resp, err := httpc.Get(u)
		if err != nil {
			http.Error(w, err.Error(), 502)
			return
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&rows); err != nil {
			http.Error(w, err.Error(), 502)
			return
		}
		salesMu.Lock()
		salesCache[key] = rows
		salesMu.Unlock()
	}
	json.NewEncoder(w).Encode(rows)
}
