"""
Home-inspection service for carrier partners (multi-tenant: every row has org_id).

Runs on Cloud Run, 4 instances, behind the API gateway (30 s request timeout).
"""
from datetime import datetime

from fastapi import Depends, FastAPI, HTTPException
from openai import OpenAI
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from .auth import Principal, get_principal
from .db import get_db
from .models import Inspection, InspectionPhoto, Report
from .pdf import render_report_pdf
from .storage import presign, upload_pdf

app = FastAPI(title="inspections")
llm = OpenAI()

VISION_PROMPT = (
    "You are a home-insurance field inspector. Describe visible roof, plumbing, "
    "electrical or structural defects in this photo as JSON: "
    '{"defects": [{"kind": str, "severity": 1-5, "note": str}]}'
)


class InspectionPatch(BaseModel):
    status: str | None = None
    scheduled_for: datetime | None = None
    inspector_id: int | None = None


class InspectionRepo:
    """Data access, always scoped to the caller's org."""

    def __init__(self, db: Session = Depends(get_db), who: Principal = Depends(get_principal)):
        self.db = db
        self.org_id = who.org_id

    def list_open(self, limit: int, offset: int):
        stmt = (
            select(Inspection)
            .where(Inspection.org_id == self.org_id, Inspection.status == "open")
            .order_by(Inspection.scheduled_for)
            .limit(limit)
            .offset(offset)
        )
        return self.db.scalars(stmt).all()

    def get(self, inspection_id: int) -> Inspection | None:
        stmt = select(Inspection).where(Inspection.org_id == self.org_id, Inspection.id == inspection_id)
        return self.db.scalars(stmt).first()

    def get_for_update(self, inspection_id: int) -> Inspection | None:
        return self.db.get(Inspection, inspection_id)

    def photos(self, inspection_id: int):
        stmt = (
            select(InspectionPhoto)
            .join(Inspection, Inspection.id == InspectionPhoto.inspection_id)
            .where(Inspection.org_id == self.org_id, InspectionPhoto.inspection_id == inspection_id)
            .order_by(InspectionPhoto.taken_at)
        )
        return self.db.scalars(stmt).all()


@app.get("/inspections")
def list_inspections(limit: int = 50, offset: int = 0, repo: InspectionRepo = Depends()):
    return repo.list_open(min(limit, 200), offset)


@app.patch("/inspections/{inspection_id}")
def update_inspection(inspection_id: int, body: InspectionPatch, repo: InspectionRepo = Depends()):
    insp = repo.get_for_update(inspection_id)
    if insp is None:
        raise HTTPException(404)
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(insp, field, value)
    repo.db.commit()
    return insp


@app.post("/inspections/{inspection_id}/report")
def generate_report(inspection_id: int, repo: InspectionRepo = Depends()):
    insp = repo.get(inspection_id)
    if insp is None:
        raise HTTPException(404)

    findings = []
    for photo in repo.photos(inspection_id):  # usually 60-200 photos per house
        resp = llm.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": [
                {"type": "text", "text": VISION_PROMPT},
                {"type": "image_url", "image_url": {"url": presign(photo.s3_key)}},
            ]}],
            response_format={"type": "json_object"},
        )
        findings.append({"photo": photo.id, "result": resp.choices[0].message.content})

    pdf_bytes = render_report_pdf(insp, findings)
    key = upload_pdf(f"{insp.org_id}/reports/{insp.id}.pdf", pdf_bytes)
    report = Report(org_id=insp.org_id, inspection_id=insp.id, s3_key=key)
    repo.db.add(report)
    repo.db.commit()
    return {"report_id": report.id, "url": presign(key)}
