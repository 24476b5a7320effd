# Q: "Two bar terminals charged the same wristband at the same moment and the
#     balance ended up wrong. Is my charge endpoint racy?"
#
# A: Yes. Loading the wallet into Python, subtracting, and committing lets two
#    concurrent requests both read the old balance. In the version below the
#    balance check and the debit are ONE conditional UPDATE, the PIN lockout
#    counter lives in Redis (so all 4 gunicorn workers see the same count), and
#    terminal retries are de-duplicated with an Idempotency-Key.

import os

import bcrypt
import redis
from fastapi import Depends, FastAPI, Header, HTTPException, status
from pydantic import BaseModel, conint
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from cashless.db import ChargeRequest, LedgerEntry, Wallet, get_db

app = FastAPI()
r = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1.0)

PIN_WINDOW_SECONDS = 600
PIN_MAX_ATTEMPTS = 5


class Charge(BaseModel):
    vendor_id: int
    amount_cents: conint(gt=0, le=20_000)
    pin: str


def _pin_locked(uid: str) -> bool:
    return int(r.get(f"pinfail:{uid}") or 0) >= PIN_MAX_ATTEMPTS


def _record_pin_failure(uid: str) -> None:
    key = f"pinfail:{uid}"
    pipe = r.pipeline()
    pipe.incr(key)
    pipe.expire(key, PIN_WINDOW_SECONDS, nx=True)
    pipe.execute()


@app.post("/wristbands/{uid}/charge")
def charge(
    uid: str,
    body: Charge,
    idempotency_key: str = Header(..., min_length=8, max_length=64),
    db: Session = Depends(get_db),
):
    if _pin_locked(uid):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "Too many PIN attempts")

    # festival wifi is flaky and terminals retry: same key -> same answer, debit once
    claimed_id = db.execute(
        pg_insert(ChargeRequest)
        .values(idempotency_key=idempotency_key, wristband_uid=uid, amount_cents=body.amount_cents)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(ChargeRequest.id)
    ).scalar_one_or_none()
    if claimed_id is None:
        prev = db.scalars(
            select(ChargeRequest).where(ChargeRequest.idempotency_key == idempotency_key)
        ).one()
        return {"balance_cents": prev.balance_after, "replayed": True}

    pin_hash = db.scalar(select(Wallet.pin_hash).where(Wallet.wristband_uid == uid))
    if pin_hash is None:
        db.rollback()
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Unknown wristband")
    if not bcrypt.checkpw(body.pin.encode(), pin_hash.encode()):
        db.rollback()
        _record_pin_failure(uid)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Wrong PIN")

    # check + debit in a single statement; no row comes back if funds are short
    debited = db.execute(
        update(Wallet)
        .where(Wallet.wristband_uid == uid, Wallet.balance_cents >= body.amount_cents)
        .values(balance_cents=Wallet.balance_cents - body.amount_cents)
        .returning(Wallet.id, Wallet.balance_cents)
    ).one_or_none()
    if debited is None:
        db.rollback()
        raise HTTPException(status.HTTP_402_PAYMENT_REQUIRED, "Insufficient balance")

    wallet_id, new_balance = debited
    db.add(LedgerEntry(wallet_id=wallet_id, amount_cents=-body.amount_cents, vendor_id=body.vendor_id))
    db.execute(
        update(ChargeRequest).where(ChargeRequest.id == claimed_id).values(balance_after=new_balance)
    )
    db.commit()
    return {"balance_cents": new_balance, "replayed": False}

# Top-ups get the same treatment: .values(balance_cents=Wallet.balance_cents + amount)
# with no balance condition, plus the same Idempotency-Key table.
