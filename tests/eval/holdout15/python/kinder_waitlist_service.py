"""Kindergarten waitlist: seat offers.

routes  -> WaitlistService -> WaitlistRepo (SQLAlchemy Core)

When a seat opens up (family withdraws, capacity raised) a coordinator clicks
"Offer next seat" for a classroom; the next family in priority order gets an
offer they have 72 hours to accept.
"""
from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import text
from sqlalchemy.engine import Connection

from .deps import get_conn, require_coordinator, require_guardian  # get_conn: `with engine.begin() as conn: yield conn`

OFFER_TTL = timedelta(hours=72)


class WaitlistRepo:
    def __init__(self, conn: Connection):
        self.conn = conn

    def capacity(self, classroom_id: int) -> int:
        return self.conn.execute(
            text("SELECT capacity FROM classrooms WHERE id = :cid"), {"cid": classroom_id}
        ).scalar_one()

    def seats_taken(self, classroom_id: int) -> int:
        # enrolled children + offers still inside their acceptance window
        return self.conn.execute(
            text("""SELECT (SELECT count(*) FROM enrollments WHERE classroom_id = :cid AND withdrawn_at IS NULL)
                         + (SELECT count(*) FROM seat_offers WHERE classroom_id = :cid
                              AND status = 'pending' AND expires_at > now())"""),
            {"cid": classroom_id},
        ).scalar_one()

    def next_application(self, classroom_id: int):
        return self.conn.execute(
            text("""SELECT a.id, a.child_id, a.guardian_email
                    FROM applications a
                    WHERE a.classroom_id = :cid AND a.status = 'waiting'
                    ORDER BY a.sibling_priority DESC, a.submitted_at
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED"""),
            {"cid": classroom_id},
        ).mappings().first()

    def create_offer(self, classroom_id: int, application_id: int) -> int:
        expires = datetime.now(timezone.utc) + OFFER_TTL
        offer_id = self.conn.execute(
            text("""INSERT INTO seat_offers (classroom_id, application_id, status, offered_at, expires_at)
                    VALUES (:cid, :aid, 'pending', now(), :exp) RETURNING id"""),
            {"cid": classroom_id, "aid": application_id, "exp": expires},
        ).scalar_one()
        self.conn.execute(
            text("UPDATE applications SET status = 'offered' WHERE id = :aid"), {"aid": application_id}
        )
        return offer_id

    def accept_offer(self, offer_id: int, guardian_id: int) -> bool:
        res = self.conn.execute(
            text("""UPDATE seat_offers o SET status = 'accepted', accepted_at = now()
                    FROM applications a
                    WHERE o.id = :oid AND o.application_id = a.id AND a.guardian_id = :gid
                      AND o.status = 'pending' AND o.expires_at > now()"""),
            {"oid": offer_id, "gid": guardian_id},
        )
        return res.rowcount == 1


class WaitlistService:
    def __init__(self, repo: WaitlistRepo):
        self.repo = repo

    def _has_open_seat(self, classroom_id: int) -> bool:
        return self.repo.seats_taken(classroom_id) < self.repo.capacity(classroom_id)

    def offer_next_seat(self, classroom_id: int) -> dict:
        if not self._has_open_seat(classroom_id):
            raise HTTPException(409, "classroom is full")
        app_row = self.repo.next_application(classroom_id)
        if app_row is None:
            raise HTTPException(404, "waitlist is empty")
        offer_id = self.repo.create_offer(classroom_id, app_row["id"])
        return {"offer_id": offer_id, "application_id": app_row["id"],
                "notify": app_row["guardian_email"]}


router = APIRouter(prefix="/waitlist")


def get_service(conn: Connection = Depends(get_conn)) -> WaitlistService:
    return WaitlistService(WaitlistRepo(conn))


@router.post("/classrooms/{classroom_id}/offers", dependencies=[Depends(require_coordinator)])
def offer_seat(classroom_id: int, svc: WaitlistService = Depends(get_service)):
    return svc.offer_next_seat(classroom_id)


@router.post("/offers/{offer_id}/accept")
def accept(offer_id: int, guardian=Depends(require_guardian), svc: WaitlistService = Depends(get_service)):
    if not svc.repo.accept_offer(offer_id, guardian.id):
        raise HTTPException(409, "offer expired or already answered")
    return {"accepted": True}
