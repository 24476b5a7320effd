from datetime import date

from flask import Blueprint, jsonify, g, render_template
from weasyprint import HTML

from .extensions import db, storage
from .models import RepairJob, Invoice

bp = Blueprint("invoices", __name__, url_prefix="/workshop")


def _render_invoice_pdf(job: RepairJob) -> bytes:
    html = render_template(
        "invoice.html",
        job=job,
        parts=job.parts,            # ribbons, platens, type slugs, springs
        labour_hours=job.labour_hours,
        machine=f"{job.machine_make} {job.machine_model} ({job.serial_number})",
    )
    return HTML(string=html).write_pdf()


@bp.post("/month-close/<int:year>/<int:month>")
def close_month(year, month):
    """Invoice every completed repair for the month.

    Called from the admin screen's "Close month" button at month end.
    """
    workshop_id = g.user.workshop_id
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)

    jobs = (
        RepairJob.query.filter(
            RepairJob.workshop_id == workshop_id,
            RepairJob.completed_on >= start,
            RepairJob.completed_on < end,
            RepairJob.invoice_id.is_(None),
        )
        .options(db.selectinload(RepairJob.parts))
        .order_by(RepairJob.completed_on)
        .limit(2000)
        .all()
    )

    created = 0
    for job in jobs:
        pdf = _render_invoice_pdf(job)
        key = f"invoices/{workshop_id}/{year}-{month:02d}/{job.id}.pdf"
        storage.put(key, pdf, content_type="application/pdf")
        job.invoice = Invoice(workshop_id=workshop_id,
                              total=job.quoted_total, pdf_key=key)
        created += 1
    db.session.commit()
    return jsonify(invoiced=created, period=f"{year}-{month:02d}")


@bp.post("/jobs/<int:job_id>/ready")
def mark_ready(job_id):
    job = RepairJob.query.filter_by(id=job_id,
                                    workshop_id=g.user.workshop_id).first_or_404()
    job.status = "ready_for_collection"
    db.session.commit()

    try:
        storage.put(
            f"labels/{g.user.workshop_id}/{job.id}.txt",
            f"{job.customer_name}\n{job.machine_make} {job.machine_model}\n".encode(),
            content_type="text/plain",
        )
    except Exception:
        pass

    return jsonify(id=job.id, status=job.status)
