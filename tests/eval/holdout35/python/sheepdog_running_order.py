"""Running order builder for sheepdog trials.

Handlers often run two or three dogs in the same class, and the course
director wants at least four runs between a handler's dogs so they can
walk back from the pen. We search for an order that keeps the penalty low.
"""
import logging
import math
import random
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from sqlalchemy import select, update

from .db import SessionLocal
from .models import Run, TrialClass

log = logging.getLogger(__name__)

ITERATIONS = 250_000
MIN_GAP = 4


def _penalty(order: list[int], handler_of: dict[int, int]) -> int:
    score = 0
    last_seen: dict[int, int] = {}
    for pos, run_id in enumerate(order):
        handler = handler_of[run_id]
        if handler in last_seen:
            gap = pos - last_seen[handler]
            if gap < MIN_GAP:
                score += 10 * (MIN_GAP - gap)
        last_seen[handler] = pos
    return score


def _anneal(run_ids: list[int], handler_of: dict[int, int], seed: int) -> tuple[list[int], int]:
    rng = random.Random(seed)
    current = list(run_ids)
    rng.shuffle(current)
    current_score = _penalty(current, handler_of)
    best, best_score = list(current), current_score
    temp = 5.0
    for _ in range(ITERATIONS):
        if best_score == 0 or len(current) < 2:
            break
        a, b = rng.randrange(len(current)), rng.randrange(len(current))
        current[a], current[b] = current[b], current[a]
        score = _penalty(current, handler_of)
        if score <= current_score or rng.random() < math.exp((current_score - score) / temp):
            current_score = score
            if score < best_score:
                best, best_score = list(current), score
        else:
            current[a], current[b] = current[b], current[a]
        temp = max(0.01, temp * 0.99997)
    return best, best_score


@shared_task(bind=True, acks_late=True)
def build_running_orders(self, trial_id: int) -> dict:
    with SessionLocal() as db:
        classes = db.scalars(
            select(TrialClass).where(TrialClass.trial_id == trial_id).order_by(TrialClass.starts_at)
        ).all()
        work: dict[int, tuple[list[int], dict[int, int]]] = {}
        for cls in classes:
            runs = db.scalars(select(Run).where(Run.class_id == cls.id)).all()
            work[cls.id] = ([r.id for r in runs], {r.id: r.handler_id for r in runs})

    if not work:
        return {"trial_id": trial_id, "classes": 0}

    # One search per class; classes are independent so run them side by side.
    with ThreadPoolExecutor(max_workers=min(8, len(work))) as pool:
        futures = {
            class_id: pool.submit(_anneal, ids, handlers, trial_id * 1000 + class_id)
            for class_id, (ids, handlers) in work.items()
        }
        results = {class_id: fut.result() for class_id, fut in futures.items()}

    with SessionLocal.begin() as db:
        db.execute(
            update(Run),
            [
                {"id": run_id, "running_position": pos + 1}
                for order, _score in results.values()
                for pos, run_id in enumerate(order)
            ],
        )

    summary = {class_id: score for class_id, (_order, score) in results.items()}
    log.info("trial %s running orders built, penalties %s", trial_id, summary)
    return {"trial_id": trial_id, "classes": len(results), "penalties": summary}
