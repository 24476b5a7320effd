"""Key issue for the estuary birdwatch hides.

Each hide has one physical key kept in the reserve centre's key safe.
Members sign a key out on the kiosk tablet and sign it back in later.
"""
import logging

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import text
from sqlalchemy.orm import Session

from .auth import Member, current_member
from .db import get_db

router = APIRouter(prefix="/hides", tags=["hide-keys"])
log = logging.getLogger(__name__)


@router.get("")
def hide_board(db: Session = Depends(get_db)):
    """Kiosk board: every hide on the reserve and whether its key is in the safe."""
    rows = db.execute(
        text(
            "SELECT h.id, h.name, k.issued_to IS NULL AS key_in_safe, k.issued_at "
            "FROM hides h JOIN hide_keys k ON k.hide_id = h.id "
            "WHERE h.open_to_members ORDER BY h.name LIMIT 50"
        )
    ).mappings().all()
    return [dict(r) for r in rows]


@router.post("/{hide_id}/key/sign-out")
def sign_out_key(hide_id: int, member: Member = Depends(current_member),
                 db: Session = Depends(get_db)):
    # The condition on issued_to makes the claim atomic: only one member's
    # UPDATE can match while the key is in the safe.
    row = db.execute(
        text(
            "UPDATE hide_keys SET issued_to = :member_id, issued_at = now() "
            "WHERE hide_id = :hide_id AND issued_to IS NULL "
            "RETURNING key_number"
        ),
        {"member_id": member.id, "hide_id": hide_id},
    ).first()
    if row is None:
        db.rollback()
        raise HTTPException(status_code=409, detail="That key is already signed out")

    db.execute(
        text(
            "INSERT INTO hide_key_log (hide_id, member_id, action, at) "
            "VALUES (:hide_id, :member_id, 'out', now())"
        ),
        {"hide_id": hide_id, "member_id": member.id},
    )
    db.commit()
    log.info("member %s took key %s for hide %s", member.id, row.key_number, hide_id)
    return {"hide_id": hide_id, "key_number": row.key_number}


@router.post("/{hide_id}/key/sign-in")
def sign_in_key(hide_id: int, member: Member = Depends(current_member),
                db: Session = Depends(get_db)):
    result = db.execute(
        text(
            "UPDATE hide_keys SET issued_to = NULL, issued_at = NULL "
            "WHERE hide_id = :hide_id AND issued_to = :member_id"
        ),
        {"member_id": member.id, "hide_id": hide_id},
    )
    if result.rowcount != 1:
        db.rollback()
        raise HTTPException(status_code=409, detail="You don't have that key")

    db.execute(
        text(
            "INSERT INTO hide_key_log (hide_id, member_id, action, at) "
            "VALUES (:hide_id, :member_id, 'in', now())"
        ),
        {"hide_id": hide_id, "member_id": member.id},
    )
    db.commit()
    return {"hide_id": hide_id, "returned": True}


@router.get("/me/keys")
def my_keys(member: Member = Depends(current_member), db: Session = Depends(get_db)):
    rows = db.execute(
        text(
            "SELECT k.hide_id, h.name, k.key_number, k.issued_at "
            "FROM hide_keys k JOIN hides h ON h.id = k.hide_id "
            "WHERE k.issued_to = :member_id ORDER BY k.issued_at LIMIT 20"
        ),
        {"member_id": member.id},
    ).mappings().all()
    return [dict(r) for r in rows]
