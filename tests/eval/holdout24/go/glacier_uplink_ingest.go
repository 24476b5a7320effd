package ingest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/lib/pq"
)

// UplinkHandler receives webhook deliveries from the LoRaWAN network server for
// the ablation stakes and temperature loggers on the glacier. The network server
// redelivers on any non-2xx, so each uplink is recorded once by its message id.
type UplinkHandler struct {
	DB     *sql.DB // shared pool, configured in main (SetMaxOpenConns 20)
	Secret []byte
	Log    *slog.Logger
}

type uplink struct {
	MessageID string `json:"message_id"`
	DeviceEUI string `json:"device_eui"`
	Readings  []struct {
		At         time.Time `json:"at"`
		AblationMM float64   `json:"ablation_mm"`
		AirTempC   float64   `json:"air_temp_c"`
	} `json:"readings"`
}

func (h *UplinkHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<10))
	if err != nil {
		http.Error(w, "read failed", http.StatusBadRequest)
		return
	}
	if !h.validSignature(body, r.Header.Get("X-Uplink-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var up uplink
	if err := json.Unmarshal(body, &up); err != nil || up.MessageID == "" || len(up.Readings) > 96 {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	dup, err := h.store(ctx, &up)
	if err != nil {
		h.Log.Error("store uplink", "message_id", up.MessageID, "device", up.DeviceEUI, "err", err)
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	if dup {
		h.Log.Info("duplicate uplink ignored", "message_id", up.MessageID)
	}
	w.WriteHeader(http.StatusNoContent)
}

// store inserts the message marker and all of its readings in one transaction.
func (h *UplinkHandler) store(ctx context.Context, up *uplink) (duplicate bool, err error) {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO uplink_messages (message_id, device_eui, received_at) VALUES ($1, $2, now())
		 ON CONFLICT (message_id) DO NOTHING`, up.MessageID, up.DeviceEUI)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err == nil, err
	}

	at := make([]time.Time, len(up.Readings))
	ablation := make([]float64, len(up.Readings))
	temp := make([]float64, len(up.Readings))
	for i, rd := range up.Readings {
		at[i], ablation[i], temp[i] = rd.At, rd.AblationMM, rd.AirTempC
	}
	// One statement for the whole batch rather than a row at a time.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO melt_readings (device_eui, measured_at, ablation_mm, air_temp_c)
		SELECT $1, t.at, t.ablation, t.temp
		FROM unnest($2::timestamptz[], $3::float8[], $4::float8[]) AS t(at, ablation, temp)
		ON CONFLICT (device_eui, measured_at) DO NOTHING`,
		up.DeviceEUI, pq.Array(at), pq.Array(ablation), pq.Array(temp)); err != nil {
		return false, err
	}
	return false, tx.Commit()
}

func (h *UplinkHandler) validSignature(body []byte, sigHex string) bool {
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	return hmac.Equal(sig, mac.Sum(nil))
}
