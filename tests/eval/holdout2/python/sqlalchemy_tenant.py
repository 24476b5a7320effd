from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .auth import current_user
from .db import get_db
from .models import Project, Ticket

router = APIRouter()


@router.get("/tickets/{ticket_id}")
def get_ticket(ticket_id: int, user=Depends(current_user), db: Session = Depends(get_db)):
    return db.scalars(
        select(Ticket).where(Ticket.id == ticket_id, Ticket.org_id == user.org_id)
    ).one_or_none()


@router.get("/projects/{project_id}/tickets")
def project_tickets(project_id: int, user=Depends(current_user), db: Session = Depends(get_db)):
    return db.scalars(
        select(Ticket).where(Ticket.project_id == project_id).order_by(Ticket.id.desc()).limit(100)
    ).all()


@router.get("/projects")
def projects(user=Depends(current_user), db: Session = Depends(get_db)):
    return db.scalars(select(Project).where(Project.org_id == user.org_id).limit(100)).all()
