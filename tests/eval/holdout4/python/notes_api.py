"""
Workspace documents API (production-ready).

Features:
- Every route is scoped to a workspace and checks membership.
- Cursor pagination on list endpoints (no unbounded result sets).
- Optimistic concurrency on updates via a `version` column.
"""
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import get_session
from app.deps import current_user
from app.models import Document, Membership, User

router = APIRouter(prefix="/workspaces/{workspace_id}/documents", tags=["documents"])


class DocumentOut(BaseModel):
    id: int
    title: str
    body: str
    version: int
    updated_at: datetime


class DocumentPatch(BaseModel):
    title: str | None = None
    body: str | None = None
    expected_version: int


def require_member(session: Session, user_id: int, workspace_id: int) -> None:
    """Raise 404 (not 403) so we don't leak which workspaces exist."""
    is_member = session.scalar(
        select(Membership.id).where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
    )
    if not is_member:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)


@router.get("", response_model=list[DocumentOut])
def list_documents(
    workspace_id: int,
    after_id: int = 0,
    limit: int = Query(50, ge=1, le=200),
    user: User = Depends(current_user),
    session: Session = Depends(get_session),
):
    require_member(session, user.id, workspace_id)
    stmt = (
        select(Document)
        .where(Document.workspace_id == workspace_id, Document.id > after_id)
        .order_by(Document.id)
        .limit(limit)
    )
    return session.scalars(stmt).all()


@router.get("/{doc_id}", response_model=DocumentOut)
def get_document(
    workspace_id: int,
    doc_id: int,
    user: User = Depends(current_user),
    session: Session = Depends(get_session),
):
    require_member(session, user.id, workspace_id)
    doc = session.scalar(select(Document).where(Document.id == doc_id))
    if doc is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    return doc


@router.patch("/{doc_id}", response_model=DocumentOut)
def update_document(
    workspace_id: int,
    doc_id: int,
    patch: DocumentPatch,
    user: User = Depends(current_user),
    session: Session = Depends(get_session),
):
    require_member(session, user.id, workspace_id)
    values = patch.model_dump(exclude_unset=True, exclude={"expected_version"})
    result = session.execute(
        update(Document)
        .where(
            Document.id == doc_id,
            Document.workspace_id == workspace_id,
            Document.version == patch.expected_version,
        )
        .values(**values, version=Document.version + 1, updated_at=datetime.utcnow())
        .returning(Document)
    )
    doc = result.scalar_one_or_none()
    if doc is None:
        session.rollback()
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="document changed or not found")
    session.commit()
    return doc
