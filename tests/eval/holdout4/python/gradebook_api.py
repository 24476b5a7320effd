"""Gradebook API for the district LMS (multi-tenant: every row carries school_id).

FastAPI + Tortoise ORM. 3 replicas behind the ingress; nothing request-scoped is kept in memory
except the small per-school grading-scale cache below.
"""
import asyncio

from cachetools import TTLCache
from fastapi import APIRouter, Depends, HTTPException, Query
from tortoise.expressions import F

from lms.auth import Staff, current_staff
from lms.models import Assignment, CourseStats, Enrollment, GradingScale, Submission

router = APIRouter(prefix="/api/gradebook")

# grading scales change a few times a year; 5 min staleness is fine
_scale_cache: TTLCache = TTLCache(maxsize=2048, ttl=300)
_scale_lock = asyncio.Lock()


async def grading_scale(school_id: int) -> list[dict]:
    scale = _scale_cache.get(school_id)
    if scale is not None:
        return scale
    async with _scale_lock:
        scale = _scale_cache.get(school_id)
        if scale is None:
            scale = await GradingScale.filter(school_id=school_id).order_by("-min_percent").values(
                "letter", "min_percent"
            )
            _scale_cache[school_id] = scale
    return scale


@router.get("/courses/{course_id}/roster")
async def roster(
    course_id: int,
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=200),
    staff: Staff = Depends(current_staff),
):
    enrollments = (
        await Enrollment.filter(school_id=staff.school_id, course_id=course_id, active=True)
        .select_related("student")
        .prefetch_related("submissions")
        .order_by("student__last_name", "student__first_name")
        .offset(offset)
        .limit(limit)
    )
    return [
        {
            "student_id": e.student.id,
            "name": f"{e.student.last_name}, {e.student.first_name}",
            "submitted": len(e.submissions),
            "current_percent": e.current_percent,
        }
        for e in enrollments
    ]


@router.get("/courses/{course_id}/summary")
async def course_summary(course_id: int, staff: Staff = Depends(current_staff)):
    # course_stats is refreshed by the nightly + on-grade-change job, not computed here
    stats = await CourseStats.get_or_none(school_id=staff.school_id, course_id=course_id)
    if stats is None:
        raise HTTPException(status_code=404)
    return {
        "average_percent": stats.average_percent,
        "median_percent": stats.median_percent,
        "distribution": stats.letter_distribution,
        "refreshed_at": stats.refreshed_at,
        "scale": await grading_scale(staff.school_id),
    }


@router.post("/assignments/{assignment_id}/submissions/{submission_id}/grade")
async def grade_submission(
    assignment_id: int, submission_id: int, score: float, staff: Staff = Depends(current_staff)
):
    assignment = await Assignment.get_or_none(id=assignment_id, school_id=staff.school_id)
    if assignment is None:
        raise HTTPException(status_code=404)
    if not 0 <= score <= assignment.max_points:
        raise HTTPException(status_code=422, detail="score out of range")

    updated = await Submission.filter(
        id=submission_id, assignment_id=assignment_id, school_id=staff.school_id
    ).update(score=score, graded_by_id=staff.id, regrade_count=F("regrade_count") + 1)
    if not updated:
        raise HTTPException(status_code=404)
    return {"ok": True}
