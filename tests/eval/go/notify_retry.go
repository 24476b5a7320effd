package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"time"
)

var httpClient = &http.Client{Timeout: 5 * time.Second}

func postJSON(ctx context.Context, url string, v any) error {
	body, _ := json.Marshal(v)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("server error %d", resp.StatusCode)
	}
	return nil
}

// SendSMS retries the provider until it accepts the message.
func SendSMS(ctx context.Context, to, text string) error {
	var err error
	for i := 0; i < 10; i++ {
		if err = postJSON(ctx, "https://sms.example/api/messages", map[string]string{"to": to, "text": text}); err == nil {
			return nil
		}
		time.Sleep(500 * time.Millisecond)
	}
	return err
}

// SendPush backs off exponentially with full jitter, at most 6 tries.
func SendPush(ctx context.Context, token, text string) error {
	backoff := 200 * time.Millisecond
	var err error
	for attempt := 0; attempt < 6; attempt++ {
		if err = postJSON(ctx, "https://push.example/api/send", map[string]string{"token": token, "text": text}); err == nil {
			return nil
		}
		sleep := time.Duration(rand.Int63n(int64(backoff)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		if backoff < 10*time.Second {
			backoff *= 2
		}
	}
	return err
}
