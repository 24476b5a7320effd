"""Employee data exports (CSV) for HR admins.

The web process only enqueues; the RQ worker streams rows out of Postgres in
keyset pages and uploads to S3. Admins poll the job and get a presigned link.
"""
import csv
import io
import os

import boto3
from botocore.config import Config
from flask import Blueprint, abort, g, jsonify, url_for
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job

from hrapp.auth import admin_required

bp = Blueprint("exports", __name__, url_prefix="/api/exports")

redis_conn = Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5)
queue = Queue("exports", connection=redis_conn)
pool = ConnectionPool(os.environ["HR_DSN"], min_size=1, max_size=5, timeout=10, kwargs={"row_factory": dict_row})
s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 5, "mode": "adaptive"}))
BUCKET = os.environ["EXPORT_BUCKET"]  # lifecycle rule deletes exports/ after 7 days
PAGE = 2000


@bp.post("/employees")
@admin_required
def start_employee_export():
    job = queue.enqueue(export_employees, g.company_id, job_timeout=3600, result_ttl=86400)
    return jsonify({"job_id": job.id, "status_url": url_for(".export_status", job_id=job.id)}), 202


@bp.get("/<job_id>")
@admin_required
def export_status(job_id):
    try:
        job = Job.fetch(job_id, connection=redis_conn)
    except NoSuchJobError:
        abort(404)
    if job.args[0] != g.company_id:
        abort(404)
    body = {"status": job.get_status()}
    if job.is_finished:
        body["download_url"] = s3.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": job.result}, ExpiresIn=900
        )
    return jsonify(body)


def export_employees(company_id: int) -> str:
    """RQ task. Keyset-paginates so memory stays flat for 100k-employee companies."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["employee_no", "name", "department", "title", "start_date", "status"])
    last_id = 0
    with pool.connection() as conn:
        while True:
            rows = conn.execute(
                """
                SELECT e.id, e.employee_no, e.full_name, d.name AS department, e.title, e.start_date, e.status
                FROM employees e
                LEFT JOIN departments d ON d.id = e.department_id AND d.company_id = e.company_id
                WHERE e.company_id = %s AND e.id > %s
                ORDER BY e.id
                LIMIT %s
                """,
                (company_id, last_id, PAGE),
            ).fetchall()
            if not rows:
                break
            for r in rows:
                writer.writerow([r["employee_no"], r["full_name"], r["department"], r["title"], r["start_date"], r["status"]])
            last_id = rows[-1]["id"]

    key = f"exports/{company_id}/employees-{last_id}.csv"
    s3.put_object(Bucket=BUCKET, Key=key, Body=buf.getvalue().encode(), ServerSideEncryption="aws:kms")
    return key
