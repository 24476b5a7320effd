"""Bet settlement for finished e-sports matches.

POST /admin/matches/{id}/settle only records the result and enqueues the job
(202); the Celery task pays out in pages of 1,000 bets so a final with 400k
open bets never runs inside an HTTP request.
"""
import logging

from celery import Celery
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .db import SessionLocal, get_session
from .auth import require_trader

log = logging.getLogger(__name__)
celery = Celery("settlement", broker="redis://redis:6379/2")
router = APIRouter(prefix="/admin")

PAGE = 1000


@router.post("/matches/{match_id}/settle", status_code=202)
def settle_match(match_id: int, winner: str, db: Session = Depends(get_session),
                 _=Depends(require_trader)):
    res = db.execute(
        text("UPDATE matches SET status = 'settling', winner = :w "
             "WHERE id = :id AND status = 'finished' RETURNING id"),
        {"w": winner, "id": match_id},
    ).first()
    if res is None:
        raise HTTPException(409, "match is not in 'finished' state")
    db.commit()
    job = settle_bets.delay(match_id)
    return {"job_id": job.id, "status_url": f"/admin/jobs/{job.id}"}


@celery.task(bind=True, autoretry_for=(OperationalError,), retry_backoff=2,
             retry_backoff_max=300, retry_jitter=True, max_retries=6, acks_late=True)
def settle_bets(self, match_id: int) -> int:
    settled = 0
    last_id = 0
    with SessionLocal() as db:
        with db.begin():
            winner = db.execute(text("SELECT winner FROM matches WHERE id = :id"),
                                {"id": match_id}).scalar_one()
        while True:
            with db.begin():
                # one statement per page: mark the page settled (only still-open bets,
                # so a retried task never pays twice) and get the payouts back
                paid = db.execute(
                    text(
                        """
                        UPDATE bets b
                           SET status = CASE WHEN b.selection = :winner THEN 'won' ELSE 'lost' END,
                               settled_at = now()
                         WHERE b.id IN (SELECT id FROM bets
                                         WHERE match_id = :m AND status = 'open' AND id > :last
                                         ORDER BY id LIMIT :page
                                         FOR UPDATE SKIP LOCKED)
                        RETURNING b.id, b.user_id,
                                  CASE WHEN b.selection = :winner THEN b.potential_payout_cents ELSE 0 END AS payout
                        """
                    ),
                    {"winner": winner, "m": match_id, "last": last_id, "page": PAGE},
                ).all()
                if not paid:
                    break
                last_id = max(r.id for r in paid)

                totals: dict[int, int] = {}
                for r in paid:
                    if r.payout:
                        totals[r.user_id] = totals.get(r.user_id, 0) + r.payout
                if totals:
                    db.execute(
                        text(
                            """
                            UPDATE wallets w SET balance_cents = w.balance_cents + p.amount
                              FROM unnest(CAST(:uids AS bigint[]), CAST(:amts AS bigint[])) AS p(user_id, amount)
                             WHERE w.user_id = p.user_id
                            """
                        ),
                        {"uids": list(totals), "amts": list(totals.values())},
                    )
                settled += len(paid)
            log.info("match %s: settled %d bets so far", match_id, settled)

        with db.begin():
            db.execute(text("UPDATE matches SET status = 'settled' WHERE id = :id"), {"id": match_id})
    return settled
