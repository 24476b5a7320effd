"""Helpdesk ticket endpoints (FastAPI + SQLAlchemy 2.0).

Every org only sees its own tickets: `current_user.org_id` scopes all queries.
"""
from datetime import datetime, timezone
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from openai import OpenAI
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import CurrentUser, get_current_user
from app.db import get_db
from app.models import Comment, Ticket
from app.schemas import TicketOut

router = APIRouter(prefix="/tickets", tags=["tickets"])
llm = OpenAI()


class StatusChange(BaseModel):
    status: Literal["open", "pending", "solved", "closed"]


@router.get("", response_model=list[TicketOut])
def list_tickets(
    status: str = "open",
    limit: int = Query(50, le=200),
    before_id: int | None = None,
    user: CurrentUser = Depends(get_current_user),
    db: Session = Depends(get_db),
):
    stmt = (
        select(Ticket)
        .where(Ticket.org_id == user.org_id, Ticket.status == status)
        .order_by(Ticket.id.desc())
        .limit(limit)
    )
    if before_id:
        stmt = stmt.where(Ticket.id < before_id)
    return db.scalars(stmt).all()


@router.get("/search", response_model=list[TicketOut])
def search_tickets(q: str, user: CurrentUser = Depends(get_current_user), db: Session = Depends(get_db)):
    rows = db.scalars(
        select(Ticket)
        .where(Ticket.org_id == user.org_id, Ticket.subject.ilike(f"%{q}%"))
        .order_by(Ticket.updated_at.desc())
    ).all()
    return rows


@router.get("/{ticket_id}", response_model=TicketOut)
def get_ticket(ticket_id: int, user: CurrentUser = Depends(get_current_user), db: Session = Depends(get_db)):
    ticket = db.scalar(select(Ticket).where(Ticket.id == ticket_id, Ticket.org_id == user.org_id))
    if ticket is None:
        raise HTTPException(404)
    return ticket


@router.patch("/{ticket_id}/status", response_model=TicketOut)
def change_status(
    ticket_id: int,
    body: StatusChange,
    user: CurrentUser = Depends(get_current_user),
    db: Session = Depends(get_db),
):
    ticket = db.get(Ticket, ticket_id)
    if ticket is None:
        raise HTTPException(404)
    ticket.status = body.status
    ticket.updated_at = datetime.now(timezone.utc)
    if body.status == "solved":
        ticket.solved_by_id = user.id
    db.commit()
    return ticket


@router.post("/{ticket_id}/suggest-reply")
def suggest_reply(ticket_id: int, user: CurrentUser = Depends(get_current_user), db: Session = Depends(get_db)):
    ticket = db.scalar(select(Ticket).where(Ticket.id == ticket_id, Ticket.org_id == user.org_id))
    if ticket is None:
        raise HTTPException(404)
    comments = db.scalars(
        select(Comment)
        .where(Comment.ticket_id == ticket.id, Comment.org_id == user.org_id)
        .order_by(Comment.created_at.desc())
        .limit(20)
    ).all()
    thread = "\n\n".join(f"{c.author_name}: {c.body}" for c in reversed(comments))
    completion = llm.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "You are a friendly support agent. Draft a concise reply."},
            {"role": "user", "content": f"Subject: {ticket.subject}\n\n{thread}"},
        ],
    )
    return {"draft": completion.choices[0].message.content}
