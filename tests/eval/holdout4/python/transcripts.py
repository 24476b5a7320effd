"""Registrar endpoints: course submissions and official transcript export.

Flask blueprint, MongoDB via pymongo. Served by gunicorn behind the campus ALB
(idle timeout 30s). A cohort is typically 600-900 students.
"""
import io
import os
import zipfile
from datetime import datetime, timezone

from bson import ObjectId
from flask import Blueprint, abort, jsonify, request, send_file
from pymongo import MongoClient

from registrar.auth import require_role
from registrar.pdf import render_transcript_pdf  # WeasyPrint, ~1-2 s per transcript

client = MongoClient(
    os.environ["MONGO_URI"],
    serverSelectionTimeoutMS=3000,
    connectTimeoutMS=3000,
    socketTimeoutMS=15000,
    maxPoolSize=50,
)
db = client["lms"]

bp = Blueprint("registrar", __name__, url_prefix="/api")


@bp.get("/courses/<course_id>/submissions")
@require_role("instructor")
def list_submissions(course_id):
    status = request.args.get("status", "submitted")
    cursor = db.submissions.find(
        {"course_id": ObjectId(course_id), "status": status},
        {"student_id": 1, "assignment_id": 1, "submitted_at": 1, "score": 1},
    ).sort("submitted_at", -1)
    return jsonify(
        [
            {
                "id": str(d["_id"]),
                "student_id": str(d["student_id"]),
                "assignment_id": str(d["assignment_id"]),
                "submitted_at": d["submitted_at"].isoformat(),
                "score": d.get("score"),
            }
            for d in cursor
        ]
    )


@bp.get("/students/<student_id>")
@require_role("registrar")
def get_student(student_id):
    doc = db.students.find_one({"_id": ObjectId(student_id)}, {"name": 1, "email": 1, "program": 1})
    if doc is None:
        abort(404)
    doc["_id"] = str(doc["_id"])
    return jsonify(doc)


@bp.post("/cohorts/<cohort_id>/transcripts")
@require_role("registrar")
def export_cohort_transcripts(cohort_id):
    """Build a zip with one official PDF transcript per enrolled student."""
    enrollments = db.enrollments.find(
        {"cohort_id": ObjectId(cohort_id), "status": {"$in": ["active", "graduated"]}},
        {"student_id": 1, "grades": 1, "gpa": 1},
    )

    buf = io.BytesIO()
    issued_at = datetime.now(timezone.utc)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for enrollment in enrollments:
            student = db.students.find_one({"_id": enrollment["student_id"]}, {"name": 1, "student_no": 1})
            pdf_bytes = render_transcript_pdf(
                student=student,
                grades=enrollment.get("grades", []),
                gpa=enrollment.get("gpa"),
                issued_at=issued_at,
            )
            zf.writestr(f"{student['student_no']}.pdf", pdf_bytes)

    buf.seek(0)
    return send_file(
        buf,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"transcripts-{cohort_id}-{issued_at:%Y%m%d}.zip",
    )
