"""
Lesson booking API for the tutoring marketplace.

Runs as 3 replicas (k8s HPA min 3), so nothing stateful lives in process memory:
sessions and rate-limit counters are in Redis, and double-booking is prevented
by the partial unique index `uq_lessons_tutor_start` on
lessons(tutor_id, starts_at) WHERE status <> 'cancelled'.
"""
import os
from datetime import datetime, timedelta

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_db
from .models import Lesson, TutorAvailability

app = FastAPI()
redis = Redis.from_url(os.environ["REDIS_URL"], decode_responses=True, socket_timeout=2)

SESSION_TTL = 60 * 60 * 24 * 14  # sessions are written by the auth service
BOOKINGS_PER_HOUR = 10
LESSON_LENGTH = timedelta(minutes=60)


class BookLesson(BaseModel):
    tutor_id: int
    starts_at: datetime  # lessons are fixed 60-minute slots starting on the hour


async def current_student(request: Request) -> int:
    sid = request.cookies.get("sid")
    student_id = await redis.get(f"session:{sid}") if sid else None
    if student_id is None:
        raise HTTPException(401, "login required")
    await redis.expire(f"session:{sid}", SESSION_TTL)  # sliding expiry
    return int(student_id)


async def booking_quota(student_id: int = Depends(current_student)) -> int:
    key = f"rl:book:{student_id}:{datetime.utcnow():%Y%m%d%H}"
    async with redis.pipeline(transaction=True) as pipe:
        count, _ = await pipe.incr(key).expire(key, 3600).execute()
    if count > BOOKINGS_PER_HOUR:
        raise HTTPException(429, "too many booking attempts, try again later")
    return student_id


@app.post("/lessons", status_code=201)
async def book_lesson(body: BookLesson, student_id: int = Depends(booking_quota),
                      db: AsyncSession = Depends(get_db)):
    if body.starts_at.minute or body.starts_at.second:
        raise HTTPException(422, "lessons start on the hour")
    window = await db.scalar(
        select(TutorAvailability).where(
            TutorAvailability.tutor_id == body.tutor_id,
            TutorAvailability.starts_at <= body.starts_at,
            TutorAvailability.ends_at >= body.starts_at + LESSON_LENGTH,
        )
    )
    if window is None:
        raise HTTPException(422, "tutor is not available then")

    lesson = Lesson(tutor_id=body.tutor_id, student_id=student_id,
                    starts_at=body.starts_at, minutes=60, status="booked")
    db.add(lesson)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise HTTPException(409, "that slot was just taken")
    return {"id": lesson.id, "starts_at": lesson.starts_at.isoformat()}
