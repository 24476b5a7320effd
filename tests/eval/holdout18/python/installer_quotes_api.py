# solar_installers/api/quotes.py
# Multi-tenant: every installer company only sees its own customers and quotes.
from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, conint
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from solar.db import get_session
from solar.deps import CurrentUser, get_current_user
from solar.models import Customer, PanelModel, Quote, QuoteLine

router = APIRouter(prefix="/quotes", tags=["quotes"])


def company_id(user: CurrentUser = Depends(get_current_user)) -> int:
    return user.company_id


class LineIn(BaseModel):
    panel_model_id: int
    quantity: conint(gt=0, le=500)


class QuoteIn(BaseModel):
    customer_id: int
    lines: list[LineIn]


@router.get("")
def list_quotes(
    cid: int = Depends(company_id),
    session: Session = Depends(get_session),
    limit: int = Query(25, le=100),
    offset: int = Query(0, ge=0),
):
    stmt = (
        select(Quote)
        .where(Quote.company_id == cid)
        .options(selectinload(Quote.lines).selectinload(QuoteLine.panel_model), selectinload(Quote.customer))
        .order_by(Quote.created_at.desc())
        .limit(limit)
        .offset(offset)
    )
    quotes = session.scalars(stmt).all()
    return [q.to_dict() for q in quotes]


@router.get("/{quote_id}")
def get_quote(quote_id: int, cid: int = Depends(company_id), session: Session = Depends(get_session)):
    quote = session.scalar(
        select(Quote)
        .where(Quote.id == quote_id, Quote.company_id == cid)
        .options(selectinload(Quote.lines).selectinload(QuoteLine.panel_model))
    )
    if quote is None:
        raise HTTPException(404, "quote not found")
    return quote.to_dict()


@router.post("", status_code=201)
def create_quote(body: QuoteIn, cid: int = Depends(company_id), session: Session = Depends(get_session)):
    customer = session.scalar(select(Customer).where(Customer.id == body.customer_id, Customer.company_id == cid))
    if customer is None:
        raise HTTPException(404, "customer not found")

    # panel_models is the shared manufacturer catalogue (no company_id column) --
    # one batched lookup for all lines instead of one query per line.
    ids = {line.panel_model_id for line in body.lines}
    panels = {p.id: p for p in session.scalars(select(PanelModel).where(PanelModel.id.in_(ids)))}
    missing = ids - panels.keys()
    if missing:
        raise HTTPException(422, f"unknown panel models: {sorted(missing)}")

    quote = Quote(company_id=cid, customer_id=customer.id, status="draft")
    total = Decimal("0")
    for line in body.lines:
        panel = panels[line.panel_model_id]
        price = panel.list_price * line.quantity
        quote.lines.append(QuoteLine(panel_model_id=panel.id, quantity=line.quantity, price=price))
        total += price
    quote.total = total
    session.add(quote)
    session.commit()
    return {"id": quote.id, "total": str(total)}


@router.get("/panels/{panel_id}")
def get_panel(panel_id: int, session: Session = Depends(get_session)):
    panel = session.get(PanelModel, panel_id)
    if panel is None:
        raise HTTPException(404)
    return {"id": panel.id, "name": panel.name, "watts": panel.watts, "list_price": str(panel.list_price)}


@router.get("/stats/count")
def count_quotes(cid: int = Depends(company_id), session: Session = Depends(get_session)):
    n = session.scalar(select(func.count()).select_from(Quote).where(Quote.company_id == cid, Quote.status == "sent"))
    return {"sent": n}
