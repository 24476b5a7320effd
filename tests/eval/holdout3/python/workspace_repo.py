"""Data access for workspaces, projects and invites (SQLAlchemy 2.0)."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import ForeignKey, String, delete, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

INVITE_TTL = timedelta(days=7)


class Base(DeclarativeBase):
    pass


class Project(Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Invite(Base):
    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]


class ProjectRepository:
    """All project access is scoped to the caller's workspace."""

    def __init__(self, session: Session, workspace_id: int):
        self.session = session
        self.workspace_id = workspace_id

    def list(self, limit: int = 50, offset: int = 0) -> list[Project]:
        stmt = (
            select(Project)
            .where(Project.workspace_id == self.workspace_id, Project.archived.is_(False))
            .order_by(Project.created_at.desc())
            .limit(min(limit, 200))
            .offset(offset)
        )
        return list(self.session.scalars(stmt))

    def get(self, project_id: int) -> Project | None:
        stmt = select(Project).where(
            Project.id == project_id, Project.workspace_id == self.workspace_id
        )
        return self.session.scalars(stmt).first()

    def rename(self, project_id: int, name: str) -> bool:
        result = self.session.execute(
            update(Project)
            .where(Project.id == project_id, Project.workspace_id == self.workspace_id)
            .values(name=name)
        )
        return result.rowcount == 1

    def delete(self, project_id: int) -> None:
        self.session.execute(delete(Project).where(Project.id == project_id))


class InviteRepository:
    def __init__(self, session: Session, workspace_id: int):
        self.session = session
        self.workspace_id = workspace_id

    def create(self, email: str) -> Invite:
        invite = Invite(
            workspace_id=self.workspace_id,
            email=email.strip().lower(),
            token=secrets.token_urlsafe(32),
            expires_at=datetime.now(timezone.utc) + INVITE_TTL,
        )
        self.session.add(invite)
        self.session.flush()
        return invite

    def pending(self) -> list[Invite]:
        stmt = (
            select(Invite)
            .where(
                Invite.workspace_id == self.workspace_id,
                Invite.accepted_at.is_(None),
                Invite.expires_at > func.now(),
            )
            .order_by(Invite.id.desc())
            .limit(100)
        )
        return list(self.session.scalars(stmt))


def accept_invite(session: Session, token: str) -> tuple[int, str] | None:
    """Token is the only thing the invitee has; it is unguessable and single-use."""
    row = session.execute(
        update(Invite)
        .where(Invite.token == token, Invite.accepted_at.is_(None), Invite.expires_at > func.now())
        .values(accepted_at=func.now())
        .returning(Invite.workspace_id, Invite.email)
    ).first()
    return (row.workspace_id, row.email) if row else None
