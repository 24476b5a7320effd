package projects

// pretranslate: run machine translation over every untranslated segment of a
// project so translators start from a draft. Called from the PM dashboard
// "Pretranslate" button. (API gateway in front of us cuts requests at 30s.)

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"
	"github.com/lib/pq"
)

var mtClient = &http.Client{}

const mtChunk = 40 // segments per MT request

type segment struct {
	ID     int64  `json:"id"`
	Source string `json:"text"`
}

func Pretranslate(w http.ResponseWriter, r *http.Request) {
	projectID := chi.URLParam(r, "projectID")

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer db.Close()

	var src, tgt string
	if err := db.QueryRow(`SELECT source_lang, target_lang FROM projects WHERE id = $1`, projectID).Scan(&src, &tgt); err != nil {
		http.Error(w, "project not found", 404)
		return
	}

	rows, err := db.Query(`SELECT id, source_text FROM segments WHERE project_id = $1 AND target_text IS NULL ORDER BY position`, projectID)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	var segs []segment
	for rows.Next() {
		var s segment
		if err := rows.Scan(&s.ID, &s.Source); err != nil {
			rows.Close()
			http.Error(w, err.Error(), 500)
			return
		}
		segs = append(segs, s)
	}
	rows.Close()

	done := 0
	for i := 0; i < len(segs); i += mtChunk {
		chunk := segs[i:min(i+mtChunk, len(segs))]
		out, err := machineTranslate(src, tgt, chunk)
		if err != nil {
			http.Error(w, "mt: "+err.Error(), 502)
			return
		}
		ids := make([]int64, len(chunk))
		for j := range chunk {
			ids[j] = chunk[j].ID
		}
		// one statement per chunk
		if _, err := db.Exec(`UPDATE segments s SET target_text = u.t, status = 'mt_draft'
			FROM unnest($1::bigint[], $2::text[]) AS u(id, t) WHERE s.id = u.id`, pq.Array(ids), pq.Array(out)); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		done += len(chunk)
	}
	json.NewEncoder(w).Encode(map[string]int{"translated": done})
}

func machineTranslate(src, tgt string, segs []segment) ([]string, error) {
	body, _ := json.Marshal(map[string]any{"source": src, "target": tgt, "segments": segs, "glossary": true})
	req, _ := http.NewRequest("POST", os.Getenv("MT_URL")+"/v1/translate/batch", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+os.Getenv("MT_KEY"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := mtClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var res struct {
		Translations []string `json:"translations"`
	}
	err = json.NewDecoder(resp.Body).Decode(&res)
	return res.Translations, err
}
