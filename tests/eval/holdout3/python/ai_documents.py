"""
doc-ai service: translation and summarisation of uploaded documents.

k8s: deployment/doc-ai  replicas: 3  (uvicorn, 1 worker per pod)
ingress proxy-read-timeout: 30s
"""
import logging
import uuid
from datetime import datetime, timezone

from fastapi import BackgroundTasks, FastAPI, HTTPException
from openai import OpenAI
from pydantic import BaseModel

from docai.storage import load_document_text, save_translation
from docai.text import split_into_chunks

log = logging.getLogger("docai")
app = FastAPI(title="doc-ai")

client = OpenAI()  # picks up OPENAI_API_KEY from the environment
MODEL = "gpt-4o-mini"

# job_id -> {"status": ..., "doc_id": ..., "result_key": ...}
JOBS: dict[str, dict] = {}


class TranslateRequest(BaseModel):
    target_lang: str = "de"


def _translate_job(job_id: str, doc_id: str, lang: str) -> None:
    JOBS[job_id]["status"] = "running"
    try:
        text = load_document_text(doc_id)
        out = []
        for chunk in split_into_chunks(text, max_tokens=3000):
            resp = client.chat.completions.create(
                model=MODEL,
                messages=[
                    {"role": "system", "content": f"Translate the user text to {lang}. Keep formatting."},
                    {"role": "user", "content": chunk},
                ],
            )
            out.append(resp.choices[0].message.content)
        key = save_translation(doc_id, lang, "\n".join(out))
        JOBS[job_id].update(status="done", result_key=key)
    except Exception as exc:
        log.exception("translation job %s failed", job_id)
        JOBS[job_id].update(status="failed", error=str(exc))


@app.post("/documents/{doc_id}/translations", status_code=202)
def start_translation(doc_id: str, body: TranslateRequest, background: BackgroundTasks):
    job_id = uuid.uuid4().hex
    JOBS[job_id] = {
        "status": "queued",
        "doc_id": doc_id,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    background.add_task(_translate_job, job_id, doc_id, body.target_lang)
    return {"job_id": job_id, "status_url": f"/jobs/{job_id}"}


@app.get("/jobs/{job_id}")
def job_status(job_id: str):
    job = JOBS.get(job_id)
    if job is None:
        raise HTTPException(404, "unknown job")
    return job


@app.post("/documents/{doc_id}/summary")
def summarize(doc_id: str):
    """Map-reduce summary: summarise each chunk, then summarise the summaries."""
    text = load_document_text(doc_id)
    partials = []
    for chunk in split_into_chunks(text, max_tokens=6000):
        resp = client.chat.completions.create(
            model=MODEL,
            messages=[
                {"role": "system", "content": "Summarise this section in 5 bullet points."},
                {"role": "user", "content": chunk},
            ],
        )
        partials.append(resp.choices[0].message.content)

    final = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "Merge these section summaries into one executive summary."},
            {"role": "user", "content": "\n\n".join(partials)},
        ],
    )
    return {"doc_id": doc_id, "summary": final.choices[0].message.content}
