package support

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
)

type summaryRequest struct {
	Model    string    `json:"model"`
	Messages []message `json:"messages"`
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

var llm = &http.Client{}

func SummarizeTicket(w http.ResponseWriter, r *http.Request) {
	var ticket struct{ Body string }
	if err := json.NewDecoder(r.Body).Decode(&ticket); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	payload, _ := json.Marshal(summaryRequest{
		Model:    "gpt-4o-mini",
		Messages: []message{{Role: "user", Content: "Summarize this ticket:\n" + ticket.Body}},
	})
	req, _ := http.NewRequest(http.MethodPost, "https://api.openai.com/v1/chat/completions", bytes.NewReader(payload))
	req.Header.Set("Authorization", "Bearer "+os.Getenv("OPENAI_API_KEY"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := llm.Do(req)
	if err != nil {
		http.Error(w, "summary failed", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}
