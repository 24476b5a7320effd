"""Weekly display roster planner for the Hawkridge falconry centre.

Runs as a Celery task on the long-lived `planning` worker every night. For each
day of the coming week it picks which bird flies in which display slot and with
which handler, scoring every assignment for weight readiness, handler
experience with the species and rest days since the bird last flew.
"""
import itertools
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from celery import shared_task
from sqlalchemy import delete, select

from .db import SessionLocal
from .models import Bird, DisplaySlot, Handler, RosterEntry

log = logging.getLogger(__name__)

_pairing_scores: dict[tuple, float] = {}


def pairing_score(bird: Bird, handler: Handler, day: date) -> float:
    key = (bird.id, handler.id, bird.flying_weight_g, bird.last_flown, day)
    cached = _pairing_scores.get(key)
    if cached is not None:
        return cached
    readiness = 1.0 - abs(bird.flying_weight_g - bird.target_weight_g) / bird.target_weight_g
    rest_days = (day - bird.last_flown).days if bird.last_flown else 7
    experience = handler.species_hours.get(bird.species, 0) / 100.0
    score = readiness * 3 + min(rest_days, 3) + min(experience, 2.5)
    _pairing_scores[key] = score
    return score


def best_roster_for_day(day: date, birds: list, handlers: list, slots: list) -> list[tuple]:
    best, best_total = [], float("-inf")
    fit_birds = [b for b in birds if b.fit_to_fly]
    for bird_order in itertools.permutations(fit_birds, len(slots)):
        for handler_order in itertools.permutations(handlers, len(slots)):
            total = 0.0
            for bird, handler in zip(bird_order, handler_order):
                if bird.species in handler.excluded_species:
                    total = float("-inf")
                    break
                total += pairing_score(bird, handler, day)
            if total > best_total:
                best_total = total
                best = list(zip(slots, bird_order, handler_order))
    log.info("roster for %s scored %.2f", day, best_total)
    return best


@shared_task(name="falconry.plan_week")
def plan_week(start: str | None = None) -> int:
    first_day = date.fromisoformat(start) if start else date.today() + timedelta(days=1)
    days = [first_day + timedelta(days=i) for i in range(7)]

    with SessionLocal() as session:
        birds = session.scalars(select(Bird).where(Bird.retired.is_(False))).all()
        handlers = session.scalars(select(Handler).where(Handler.on_rota.is_(True))).all()
        slots = session.scalars(
            select(DisplaySlot).where(DisplaySlot.day.in_(days)).order_by(DisplaySlot.starts_at)
        ).all()
        slots_by_day = {d: [s for s in slots if s.day == d] for d in days}

        with ThreadPoolExecutor(max_workers=7) as pool:
            rosters = list(
                pool.map(lambda d: best_roster_for_day(d, birds, handlers, slots_by_day[d]), days)
            )

        session.execute(delete(RosterEntry).where(RosterEntry.day.in_(days)))
        written = 0
        for day, roster in zip(days, rosters):
            for slot, bird, handler in roster:
                session.add(RosterEntry(day=day, slot_id=slot.id, bird_id=bird.id, handler_id=handler.id))
                written += 1
        session.commit()
    return written
