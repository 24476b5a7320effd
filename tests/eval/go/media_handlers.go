package media

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
)

type Jobs interface {
	Enqueue(ctx context.Context, kind string, payload any) (string, error)
}

type Media struct {
	Dir  string
	Jobs Jobs
}

// Transcode converts an uploaded video to 720p before answering.
func (m *Media) Transcode(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("file"))
	src := filepath.Join(m.Dir, name)
	dst := filepath.Join(m.Dir, "720p-"+name)
	cmd := exec.CommandContext(r.Context(), "ffmpeg", "-y", "-i", src, "-vf", "scale=-2:720", "-c:v", "libx264", dst)
	if out, err := cmd.CombinedOutput(); err != nil {
		http.Error(w, string(out), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"file": "720p-" + name})
}

// Thumbnail queues the work and answers at once.
func (m *Media) Thumbnail(w http.ResponseWriter, r *http.Request) {
	id, err := m.Jobs.Enqueue(r.Context(), "thumbnail", map[string]string{"file": filepath.Base(r.URL.Query().Get("file"))})
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(map[string]string{"job": id})
}
