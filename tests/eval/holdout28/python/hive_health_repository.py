"""Repository for hive health reports (urban beekeeping associations).

Every query is scoped to the caller's association: apiaries, hives and
inspections of different city clubs share the same tables.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from .models import Apiary, Hive, Inspection

PAGE_SIZE_MAX = 100


@dataclass(frozen=True)
class HiveHealth:
    hive_id: int
    label: str
    apiary: str
    last_inspected: datetime | None
    varroa_per_100: float | None
    queen_seen: bool | None


class HiveHealthRepository:
    def __init__(self, session: Session, association_id: int):
        self.session = session
        self.association_id = association_id

    def _hives(self):
        return (
            select(Hive.id, Hive.label, Apiary.name.label("apiary"))
            .join(Apiary, Apiary.id == Hive.apiary_id)
            .where(Apiary.association_id == self.association_id, Hive.retired.is_(False))
        )

    def page(self, after_hive_id: int = 0, page_size: int = 25) -> list[HiveHealth]:
        page_size = max(1, min(page_size, PAGE_SIZE_MAX))
        hives = self.session.execute(
            self._hives().where(Hive.id > after_hive_id).order_by(Hive.id).limit(page_size)
        ).all()
        latest = self.latest_inspections([h.id for h in hives])
        return [
            HiveHealth(
                hive_id=h.id,
                label=h.label,
                apiary=h.apiary,
                last_inspected=latest[h.id].inspected_at if h.id in latest else None,
                varroa_per_100=latest[h.id].varroa_per_100 if h.id in latest else None,
                queen_seen=latest[h.id].queen_seen if h.id in latest else None,
            )
            for h in hives
        ]

    def latest_inspections(self, hive_ids: list[int]) -> dict[int, Inspection]:
        """Most recent inspection for each hive, in one query."""
        if not hive_ids:
            return {}
        newest = (
            select(Inspection.hive_id, func.max(Inspection.inspected_at).label("at"))
            .where(Inspection.hive_id.in_(hive_ids), Inspection.association_id == self.association_id)
            .group_by(Inspection.hive_id)
            .subquery()
        )
        rows = self.session.scalars(
            select(Inspection).join(
                newest,
                and_(Inspection.hive_id == newest.c.hive_id, Inspection.inspected_at == newest.c.at),
            ).where(Inspection.association_id == self.association_id)
        ).all()
        return {i.hive_id: i for i in rows}

    def inspection(self, inspection_id: int) -> Inspection | None:
        return self.session.scalars(
            select(Inspection).where(
                Inspection.id == inspection_id,
                Inspection.association_id == self.association_id,
            )
        ).first()

    def inspections_by_inspector(self, hive_ids: list[int]) -> dict[int, list[str]]:
        if not hive_ids:
            return {}
        rows = self.session.execute(
            select(Inspection.hive_id, Inspection.inspector_name)
            .where(Inspection.hive_id.in_(hive_ids), Inspection.association_id == self.association_id)
            .distinct()
            .limit(len(hive_ids) * 20)
        ).all()
        out: dict[int, list[str]] = defaultdict(list)
        for hive_id, name in rows:
            out[hive_id].append(name)
        return dict(out)
