"""Rate plan management for the channel manager (multi-tenant: one account per hotel group).

Layout: router -> RatePlanService -> RatePlanRepository. Every table below carries
account_id; the account comes from the API key via `current_account`.
"""
from dataclasses import dataclass
from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool
from pydantic import BaseModel

from chanman.auth import Account, current_account
from chanman.settings import settings

pool = ConnectionPool(settings.database_url, min_size=2, max_size=20, kwargs={"row_factory": dict_row})
router = APIRouter(prefix="/v1/rate-plans")


class RatePlanIn(BaseModel):
    room_type_id: int
    code: str
    name: str
    base_rate: Decimal
    meal_plan: str = "RO"


class RatePlanRepository:
    def __init__(self, conn):
        self.conn = conn

    def list(self, account_id: int, property_id: int, limit: int, offset: int):
        return self.conn.execute(
            "SELECT rp.* FROM rate_plans rp JOIN room_types rt ON rt.id = rp.room_type_id "
            "WHERE rp.account_id = %s AND rt.property_id = %s ORDER BY rp.code LIMIT %s OFFSET %s",
            (account_id, property_id, limit, offset),
        ).fetchall()

    def get(self, account_id: int, rate_plan_id: int):
        return self.conn.execute(
            "SELECT * FROM rate_plans WHERE id = %s AND account_id = %s", (rate_plan_id, account_id)
        ).fetchone()

    def room_type_exists(self, account_id: int, room_type_id: int) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM room_types WHERE id = %s AND account_id = %s", (room_type_id, account_id)
        ).fetchone()
        return row is not None

    def for_room_type(self, room_type_id: int):
        return self.conn.execute(
            "SELECT id, code, base_rate FROM rate_plans WHERE room_type_id = %s ORDER BY code",
            (room_type_id,),
        ).fetchall()

    def insert(self, account_id: int, data: RatePlanIn):
        return self.conn.execute(
            "INSERT INTO rate_plans (account_id, room_type_id, code, name, base_rate, meal_plan) "
            "VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (account_id, room_type_id, code) DO NOTHING RETURNING *",
            (account_id, data.room_type_id, data.code, data.name, data.base_rate, data.meal_plan),
        ).fetchone()


@dataclass
class RatePlanService:
    repo: RatePlanRepository

    def create(self, account: Account, data: RatePlanIn):
        if not self.repo.room_type_exists(account.id, data.room_type_id):
            raise HTTPException(404, "room type not found")
        row = self.repo.insert(account.id, data)
        if row is None:
            raise HTTPException(409, f"rate plan {data.code} already exists for this room type")
        return row

    def detail(self, account: Account, rate_plan_id: int):
        plan = self.repo.get(account.id, rate_plan_id)
        if plan is None:
            raise HTTPException(404, "rate plan not found")
        # show the other plans on the same room type so the UI can render derived-rate rules
        plan["siblings"] = self.repo.for_room_type(plan["room_type_id"])
        return plan


def get_service():
    with pool.connection() as conn:
        yield RatePlanService(RatePlanRepository(conn))


@router.get("")
def list_rate_plans(property_id: int, limit: int = 50, offset: int = 0,
                    account: Account = Depends(current_account),
                    svc: RatePlanService = Depends(get_service)):
    return svc.repo.list(account.id, property_id, min(limit, 200), offset)


@router.get("/{rate_plan_id}")
def get_rate_plan(rate_plan_id: int, account: Account = Depends(current_account),
                  svc: RatePlanService = Depends(get_service)):
    return svc.detail(account, rate_plan_id)


@router.get("/by-room-type/{room_type_id}")
def rate_plans_for_room_type(room_type_id: int, account: Account = Depends(current_account),
                             svc: RatePlanService = Depends(get_service)):
    """Used by the rate calendar when a room type is selected."""
    return svc.repo.for_room_type(room_type_id)


@router.post("", status_code=201)
def create_rate_plan(body: RatePlanIn, account: Account = Depends(current_account),
                     svc: RatePlanService = Depends(get_service)):
    return svc.create(account, body)
