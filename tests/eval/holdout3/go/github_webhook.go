package hooks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Shared client for calls to the CI scheduler; created once.
var ciClient = &http.Client{Timeout: 10 * time.Second}

type GitHubHook struct {
	DB     *sql.DB
	Secret []byte
	CIURL  string
	Log    *slog.Logger
}

type pushEvent struct {
	Ref        string `json:"ref"`
	After      string `json:"after"`
	Repository struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
}

func (h *GitHubHook) validSignature(body []byte, header string) bool {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(header))
}

// ServeHTTP handles POST /webhooks/github. GitHub redelivers on non-2xx, so
// each delivery is recorded by its X-GitHub-Delivery id and applied once.
func (h *GitHubHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 5<<20))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if !h.validSignature(body, r.Header.Get("X-Hub-Signature-256")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	deliveryID := r.Header.Get("X-GitHub-Delivery")
	if deliveryID == "" || r.Header.Get("X-GitHub-Event") != "push" {
		w.WriteHeader(http.StatusAccepted)
		return
	}

	var ev pushEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		h.Log.Error("github hook: begin", "err", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO webhook_deliveries (provider, delivery_id, received_at)
		 VALUES ('github', $1, now()) ON CONFLICT (provider, delivery_id) DO NOTHING`, deliveryID)
	if err != nil {
		h.Log.Error("github hook: record delivery", "delivery", deliveryID, "err", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		w.WriteHeader(http.StatusOK) // already processed
		return
	}

	if _, err := tx.ExecContext(ctx,
		`INSERT INTO builds (repo, ref, sha, status) VALUES ($1, $2, $3, 'queued')`,
		ev.Repository.FullName, ev.Ref, ev.After); err != nil {
		h.Log.Error("github hook: insert build", "err", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if err := h.notifyCI(ctx, ev); err != nil {
		h.Log.Error("github hook: notify ci", "sha", ev.After, "err", err)
		http.Error(w, "ci unavailable", http.StatusBadGateway)
		return
	}
	if err := tx.Commit(); err != nil {
		h.Log.Error("github hook: commit", "err", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
}

func (h *GitHubHook) notifyCI(ctx context.Context, ev pushEvent) error {
	b, _ := json.Marshal(map[string]string{"repo": ev.Repository.FullName, "sha": ev.After})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.CIURL+"/schedule", bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")

	resp, err := ciClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("ci scheduler returned %d", resp.StatusCode)
	}
	return nil
}
