"""Scores outruns from the GPS collars at a sheepdog trial.

Each run produces a few thousand collar fixes; scoring fits the path against
the ideal pear-shaped outrun and counts crossovers, which is pure number
crunching, so it goes to a process pool rather than threads.
"""
import logging
import math
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import select, update

from .db import SessionLocal
from .models import Handler, Run

log = logging.getLogger(__name__)


def _outrun_deductions(fixes: list[tuple[float, float]], post: tuple[float, float], pen: tuple[float, float]) -> int:
    """Deductions out of 20 for the outrun, by deviation from the ideal arc."""
    if len(fixes) < 3:
        return 20
    cx, cy = (post[0] + pen[0]) / 2, (post[1] + pen[1]) / 2
    radius = math.dist(post, pen) / 2
    worst = 0.0
    crossovers = 0
    side = None
    for x, y in fixes:
        deviation = abs(math.hypot(x - cx, y - cy) - radius)
        worst = max(worst, deviation)
        current_side = (x - post[0]) * (pen[1] - post[1]) - (y - post[1]) * (pen[0] - post[0]) > 0
        if side is not None and current_side != side:
            crossovers += 1
        side = current_side
    return min(20, int(worst // 5) + 4 * crossovers)


def _score_run(args: tuple[int, list, tuple, tuple]) -> tuple[int, int]:
    run_id, fixes, post, pen = args
    return run_id, _outrun_deductions(fixes, post, pen)


def score_trial_outruns(trial_id: int, workers: int = 4) -> list[dict]:
    with SessionLocal() as db:
        runs = db.execute(
            select(Run.id, Run.handler_id, Run.collar_fixes, Run.post_xy, Run.pen_xy)
            .where(Run.trial_id == trial_id, Run.status == "completed", Run.outrun_deduction.is_(None))
        ).all()
        handler_ids = {r.handler_id for r in runs}
        handlers = {
            h.id: h.display_name
            for h in db.scalars(select(Handler).where(Handler.id.in_(handler_ids)))
        }

    jobs = [(r.id, r.collar_fixes, tuple(r.post_xy), tuple(r.pen_xy)) for r in runs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        scored = dict(pool.map(_score_run, jobs, chunksize=8))

    with SessionLocal.begin() as db:
        if scored:
            db.execute(update(Run), [{"id": run_id, "outrun_deduction": d} for run_id, d in scored.items()])

    log.info("scored %d outruns for trial %s", len(scored), trial_id)
    return [
        {"run_id": r.id, "handler": handlers.get(r.handler_id, "?"), "outrun_deduction": scored[r.id]}
        for r in runs
    ]


if __name__ == "__main__":
    import sys

    for line in score_trial_outruns(int(sys.argv[1])):
        print(line)
