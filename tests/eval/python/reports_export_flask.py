import csv
import io

from flask import Blueprint, Response, jsonify
from flask_login import current_user, login_required

from .db import db
from .models import Transaction
from .tasks import export_transactions_task

bp = Blueprint("exports", __name__)


@bp.get("/exports/transactions.csv")
@login_required
def export_transactions():
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "date", "description", "amount", "balance"])
    for tx in Transaction.query.filter_by(account_id=current_user.account_id).order_by(Transaction.id):
        writer.writerow([tx.id, tx.date.isoformat(), tx.description, tx.amount, tx.balance])
    return Response(
        buf.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=transactions.csv"},
    )


@bp.post("/exports/transactions")
@login_required
def start_export():
    job = export_transactions_task.delay(current_user.account_id)
    return jsonify(job_id=job.id, status_url=f"/exports/{job.id}"), 202
