import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .db import get_session
from .models import ApiKey, Invitation

router = APIRouter()


@router.post("/invitations")
def invite(email: str, team_id: int, db: Session = Depends(get_session)):
    token = secrets.token_urlsafe(24)
    db.add(
        Invitation(
            email=email,
            team_id=team_id,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=datetime.now(timezone.utc) + timedelta(days=7),
        )
    )
    db.commit()
    return {"invite_url": f"https://app.example.com/join?token={token}"}


@router.post("/invitations/accept")
def accept(token: str, db: Session = Depends(get_session)):
    h = hashlib.sha256(token.encode()).hexdigest()
    inv = db.scalars(
        select(Invitation).where(
            Invitation.token_hash == h, Invitation.expires_at > datetime.now(timezone.utc)
        )
    ).one_or_none()
    if inv is None:
        raise HTTPException(404, "invitation not found or expired")
    db.delete(inv)
    db.commit()
    return {"team_id": inv.team_id}


@router.get("/api-keys")
def list_keys(user_id: int, db: Session = Depends(get_session)):
    keys = db.scalars(select(ApiKey).where(ApiKey.user_id == user_id).limit(50)).all()
    return [{"id": k.id, "prefix": k.prefix, "created_at": k.created_at} for k in keys]


@router.delete("/api-keys/{key_id}")
def revoke(key_id: int, user_id: int, db: Session = Depends(get_session)):
    res = db.execute(delete(ApiKey).where(ApiKey.id == key_id, ApiKey.user_id == user_id))
    db.commit()
    if res.rowcount == 0:
        raise HTTPException(404)
