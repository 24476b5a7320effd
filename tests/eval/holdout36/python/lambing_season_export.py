"""End-of-season lambing export for the vet and the flock health plan.

Building the spreadsheet means walking every ewe's lambing record for the
season (tens of thousands of rows on the bigger hill farms), so the request
only queues a job; the page polls for the result.
"""
import csv
import io
import logging
import uuid

from celery import shared_task
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import text
from sqlalchemy.orm import Session

from .auth import FarmUser, current_user
from .db import SessionLocal, get_db
from .storage import upload_private

router = APIRouter(prefix="/exports", tags=["exports"])
log = logging.getLogger(__name__)

BATCH = 2000


@router.post("/lambing/{season}", status_code=202)
def request_export(season: int, user: FarmUser = Depends(current_user), db: Session = Depends(get_db)):
    job_id = str(uuid.uuid4())
    db.execute(
        text("INSERT INTO export_jobs (id, farm_id, kind, season, status, created_at) "
             "VALUES (:id, :farm, 'lambing', :season, 'queued', now())"),
        {"id": job_id, "farm": user.farm_id, "season": season},
    )
    db.commit()
    build_lambing_export.delay(job_id, user.farm_id, season)
    return {"job_id": job_id, "status_url": f"/exports/{job_id}"}


@router.get("/{job_id}")
def export_status(job_id: str, user: FarmUser = Depends(current_user), db: Session = Depends(get_db)):
    row = db.execute(
        text("SELECT status, download_url, error FROM export_jobs WHERE id = :id AND farm_id = :farm"),
        {"id": job_id, "farm": user.farm_id},
    ).mappings().first()
    if row is None:
        raise HTTPException(status_code=404, detail="No such export")
    return dict(row)


@shared_task(acks_late=True)
def build_lambing_export(job_id: str, farm_id: int, season: int) -> None:
    with SessionLocal() as db:
        try:
            buf = io.StringIO()
            out = csv.writer(buf)
            out.writerow(["ewe_tag", "lambed_on", "lambs_born", "lambs_alive_48h", "assisted", "shed"])
            last_id = 0
            while True:
                rows = db.execute(
                    text("SELECT id, ewe_tag, lambed_on, born, alive_48h, assisted, shed "
                         "FROM lambing_records WHERE farm_id = :farm AND season = :season AND id > :after "
                         "ORDER BY id LIMIT :batch"),
                    {"farm": farm_id, "season": season, "after": last_id, "batch": BATCH},
                ).all()
                if not rows:
                    break
                for r in rows:
                    out.writerow([r.ewe_tag, r.lambed_on, r.born, r.alive_48h, r.assisted, r.shed])
                last_id = rows[-1].id

            url = upload_private(f"exports/{farm_id}/{job_id}.csv", buf.getvalue().encode())
            db.execute(
                text("UPDATE export_jobs SET status = 'done', download_url = :url, finished_at = now() "
                     "WHERE id = :id"),
                {"url": url, "id": job_id},
            )
            db.commit()
        except Exception as exc:
            db.rollback()
            log.exception("lambing export %s failed", job_id)
            db.execute(
                text("UPDATE export_jobs SET status = 'failed', error = :err WHERE id = :id"),
                {"err": str(exc)[:500], "id": job_id},
            )
            db.commit()
            raise
