from celery import Celery
from celery.result import AsyncResult
from fastapi import FastAPI
from openpyxl import Workbook

from .db import SessionLocal
from .models import Order
from .storage import upload_report

app = FastAPI()
celery = Celery("reports", broker="redis://cache:6379/1", backend="redis://cache:6379/2")


@celery.task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def build_yearly_report(self, year: int) -> str:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Orders")
    ws.append(["Order", "Customer", "Country", "Total", "Paid at"])
    with SessionLocal() as db:
        for order in db.query(Order).filter(Order.year == year).yield_per(1000):
            ws.append([order.id, order.customer.name, order.customer.country,
                       order.total, order.paid_at.isoformat()])
    return upload_report(wb, f"orders-{year}.xlsx")


@app.post("/reports/yearly/{year}", status_code=202)
def yearly_report(year: int):
    job = build_yearly_report.delay(year)
    return {"job_id": job.id, "status_url": f"/reports/jobs/{job.id}"}


@app.get("/reports/jobs/{job_id}")
def report_status(job_id: str):
    job = AsyncResult(job_id, app=celery)
    if job.successful():
        return {"status": "done", "download_url": job.result}
    if job.failed():
        return {"status": "failed"}
    return {"status": "running", "retry_after_s": 5}
