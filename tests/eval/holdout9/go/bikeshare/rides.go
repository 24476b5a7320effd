package rides

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

var dockClient = &http.Client{Timeout: 4 * time.Second}

var DB *sql.DB
var DockAPI string // e.g. http://dock-gw.internal:8080

// POST /rides/{id}/end?dock=123
func EndRide(w http.ResponseWriter, r *http.Request) {
	rideID, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	dockID := r.URL.Query().Get("dock")

	var userID int64
	var started time.Time
	err := DB.QueryRow("SELECT user_id, started_at FROM rides WHERE id=$1 AND ended_at IS NULL", rideID).Scan(&userID, &started)
	if err != nil {
		http.Error(w, "no active ride", 404)
		return
	}

	mins := math.Ceil(time.Since(started).Minutes())
	cost := 100 + int64(mins)*15 // cents: unlock fee + per minute

	var bal int64
	DB.QueryRow("SELECT balance_cents FROM wallets WHERE user_id=$1", userID).Scan(&bal)
	bal = bal - cost
	if _, err := DB.Exec("UPDATE wallets SET balance_cents=$1 WHERE user_id=$2", bal, userID); err != nil {
		http.Error(w, "wallet update failed", 500)
		return
	}
	DB.Exec("UPDATE rides SET ended_at=now(), dock_id=$1, cost_cents=$2 WHERE id=$3", dockID, cost, rideID)

	if err := lockDock(dockID); err != nil {
		// bike is ended in our db anyway, ops will see the dock alarm
		fmt.Println("lock dock failed:", dockID, err)
	}

	json.NewEncoder(w).Encode(map[string]any{"cost_cents": cost, "balance_cents": bal})
}

// dock gateway is flaky, keep trying
func lockDock(dockID string) error {
	var err error
	for i := 0; i < 10; i++ {
		var resp *http.Response
		resp, err = dockClient.Post(DockAPI+"/docks/"+dockID+"/lock", "application/json", nil)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
			err = fmt.Errorf("dock gw status %d", resp.StatusCode)
		}
		time.Sleep(500 * time.Millisecond)
	}
	return err
}
