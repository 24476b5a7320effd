"""
cemetery/plots.py -- repository, service and routes for plot records.

The county runs one records database per cemetery district, so there is no
tenant column: plots, interments and reservations all belong to this district.
"""
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cemetery.db import get_session
from cemetery.models import Interment, Plot


# ---------------------------------------------------------------- repository
class PlotRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, plot_id: int) -> Plot | None:
        return self.session.get(Plot, plot_id, options=[selectinload(Plot.interments)])

    def get_for_update(self, plot_id: int) -> Plot | None:
        stmt = select(Plot).where(Plot.id == plot_id).with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def search(self, section: str | None, surname: str | None, limit: int, offset: int) -> list[Plot]:
        stmt = select(Plot).options(selectinload(Plot.interments))
        if section:
            stmt = stmt.where(Plot.section == section)
        if surname:
            stmt = stmt.where(Plot.interments.any(Interment.surname.ilike(f"{surname}%")))
        stmt = stmt.order_by(Plot.section, Plot.row_no, Plot.plot_no).limit(limit).offset(offset)
        return list(self.session.scalars(stmt))


# ------------------------------------------------------------------- service
class PlotUnavailable(Exception):
    pass


@dataclass
class ReservationResult:
    plot_id: int
    reserved_for: str
    reserved_on: date


class PlotService:
    def __init__(self, session: Session):
        self.session = session
        self.repo = PlotRepository(session)

    def reserve(self, plot_id: int, family_name: str, deed_no: str) -> ReservationResult:
        # row lock: a second clerk reserving the same plot waits here, then sees 'reserved'
        with self.session.begin():
            plot = self.repo.get_for_update(plot_id)
            if plot is None:
                raise LookupError(plot_id)
            if plot.status != "available":
                raise PlotUnavailable(plot_id)
            plot.status = "reserved"
            plot.reserved_for = family_name
            plot.deed_no = deed_no
            plot.reserved_on = date.today()
        return ReservationResult(plot.id, family_name, plot.reserved_on)


# -------------------------------------------------------------------- routes
router = APIRouter(prefix="/plots", tags=["plots"])


@router.get("")
def search_plots(
    section: str | None = None,
    surname: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    session: Session = Depends(get_session),
):
    plots = PlotRepository(session).search(section, surname, limit, offset)
    return [
        {
            "id": p.id,
            "location": f"{p.section}-{p.row_no}-{p.plot_no}",
            "status": p.status,
            "interments": [f"{i.given_name} {i.surname} ({i.year_of_death})" for i in p.interments],
        }
        for p in plots
    ]


@router.get("/{plot_id}")
def get_plot(plot_id: int, session: Session = Depends(get_session)):
    plot = PlotRepository(session).get(plot_id)
    if plot is None:
        raise HTTPException(404, "no such plot")
    return {"id": plot.id, "status": plot.status, "reserved_for": plot.reserved_for,
            "interments": [i.surname for i in plot.interments]}


@router.post("/{plot_id}/reservation", status_code=201)
def reserve_plot(plot_id: int, family_name: str, deed_no: str, session: Session = Depends(get_session)):
    try:
        res = PlotService(session).reserve(plot_id, family_name, deed_no)
    except LookupError:
        raise HTTPException(404, "no such plot")
    except PlotUnavailable:
        raise HTTPException(409, "plot is not available")
    return res
