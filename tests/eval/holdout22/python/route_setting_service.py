from datetime import date

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from wall.db import Session
from wall.models import ClimbingRoute, PanelReset, WallPanel

bp = Blueprint("route_setting", __name__, url_prefix="/setting")


def _archive_stripped_routes(session, panel_id: int) -> int:
    """Mark every route currently on the panel as stripped so it drops off the app."""
    result = session.execute(
        update(ClimbingRoute)
        .where(ClimbingRoute.panel_id == panel_id, ClimbingRoute.stripped_on.is_(None))
        .values(stripped_on=date.today())
    )
    return result.rowcount


@bp.post("/panels/<int:panel_id>/resets")
def book_panel_reset(panel_id: int):
    """A head setter books a panel for a reset on a given night.

    Two setters must never strip the same panel on the same night, so we look
    for an existing booking first.
    """
    body = request.get_json(force=True)
    reset_on = date.fromisoformat(body["reset_on"])

    with Session() as session:
        panel = session.get(WallPanel, panel_id)
        if panel is None:
            abort(404)

        existing = session.scalar(select(PanelReset).where(PanelReset.panel_id == panel_id, PanelReset.reset_on == reset_on))
        if existing is not None:
            return jsonify(error="panel already booked", setter=existing.setter_id), 409

        reset = PanelReset(
            panel_id=panel_id,
            reset_on=reset_on,
            setter_id=g.user.id,
            grade_spread=body.get("grade_spread", "V0-V7"),
        )
        session.add(reset)
        session.commit()
        return jsonify(id=reset.id, panel=panel.name, reset_on=reset_on.isoformat()), 201


@bp.post("/panels/<int:panel_id>/resets/<int:reset_id>/complete")
def complete_reset(panel_id: int, reset_id: int):
    """Called from the setters' tablet once the new routes are on the wall."""
    body = request.get_json(force=True)
    new_routes = body.get("routes", [])[:40]

    with Session() as session:
        reset = session.get(PanelReset, reset_id)
        if reset is None or reset.panel_id != panel_id:
            abort(404)

        try:
            _archive_stripped_routes(session, panel_id)
        except SQLAlchemyError:
            session.rollback()

        session.add_all(
            ClimbingRoute(
                panel_id=panel_id,
                grade=r["grade"],
                colour=r["colour"],
                setter_id=g.user.id,
                set_on=reset.reset_on,
            )
            for r in new_routes
        )
        reset.completed = True
        session.commit()

    return jsonify(ok=True, routes_added=len(new_routes))
