# lingua-hub / app/routes/documents.py
# Served by: gunicorn app.main:app -k uvicorn.workers.UvicornWorker -w 4
# Cloud Run in front, request timeout 30s
import uuid
from datetime import datetime

from docx import Document as DocxDocument
from fastapi import APIRouter, Depends, File, Form, UploadFile, HTTPException
from openai import OpenAI

from app.deps import current_client_account

router = APIRouter()

llm = OpenAI()

# job_id -> {"status": ..., "progress": ..., "result_url": ...}
TRANSLATION_JOBS: dict[str, dict] = {}

SYSTEM_PROMPT = (
    "You are a professional translator. Translate the user's text to {lang}. "
    "Keep formatting, numbers and proper nouns. Return only the translation."
)


def translate_paragraph(text: str, lang: str) -> str:
    if not text.strip():
        return text
    resp = llm.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT.format(lang=lang)},
            {"role": "user", "content": text},
        ],
        temperature=0.2,
    )
    return resp.choices[0].message.content


@router.post("/documents/translate")
def translate_document(
    file: UploadFile = File(...),
    target_lang: str = Form(...),
    account=Depends(current_client_account),
):
    if not file.filename.endswith(".docx"):
        raise HTTPException(400, "only .docx supported for machine pre-translation")
    job_id = str(uuid.uuid4())
    TRANSLATION_JOBS[job_id] = {"status": "running", "progress": 0, "started": datetime.utcnow()}

    doc = DocxDocument(file.file)
    paragraphs = doc.paragraphs
    for i, p in enumerate(paragraphs):
        p.text = translate_paragraph(p.text, target_lang)
        TRANSLATION_JOBS[job_id]["progress"] = int(100 * (i + 1) / max(len(paragraphs), 1))

    out_path = f"/tmp/{job_id}.docx"
    doc.save(out_path)
    url = account.storage.upload(out_path, f"pretranslations/{job_id}.docx")
    TRANSLATION_JOBS[job_id].update(status="done", result_url=url)
    return {"job_id": job_id, "result_url": url}


@router.get("/documents/jobs/{job_id}")
def job_status(job_id: str, account=Depends(current_client_account)):
    job = TRANSLATION_JOBS.get(job_id)
    if job is None:
        raise HTTPException(404, "unknown job")
    return job
