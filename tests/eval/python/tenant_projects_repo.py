"""Data access for projects and tasks. Every table carries org_id; callers pass the
organisation from the authenticated session."""
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Project, Task


class ProjectRepository:
    def __init__(self, session: AsyncSession, org_id: int):
        self.session = session
        self.org_id = org_id

    async def list_projects(self, limit: int = 50, offset: int = 0):
        stmt = (
            select(Project)
            .where(Project.org_id == self.org_id, Project.archived.is_(False))
            .order_by(Project.updated_at.desc())
            .limit(limit)
            .offset(offset)
        )
        return (await self.session.scalars(stmt)).all()

    async def get_project(self, project_id: int):
        stmt = select(Project).where(Project.org_id == self.org_id, Project.id == project_id)
        return (await self.session.scalars(stmt)).one_or_none()

    async def get_task(self, task_id: int):
        stmt = select(Task).where(Task.id == task_id)
        return (await self.session.scalars(stmt)).one_or_none()

    async def rename_project(self, project_id: int, name: str):
        await self.session.execute(
            update(Project)
            .where(Project.org_id == self.org_id, Project.id == project_id)
            .values(name=name)
        )

    async def close_task(self, task_id: int):
        await self.session.execute(
            update(Task).where(Task.id == task_id).values(status="closed")
        )
