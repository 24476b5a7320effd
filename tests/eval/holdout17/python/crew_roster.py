# roster service for the regional wildfire dispatch centre
# runs on 2 pods, each `gunicorn -w 3 roster.app:app`; Postgres via pgbouncer
import time
from datetime import date

from flask import Flask, abort, jsonify, request
from flask_login import current_user, login_required
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select

app = Flask(__name__)
app.config.from_envvar("ROSTER_SETTINGS")
db = SQLAlchemy(app)

from roster.models import CrewMember, Roster, RosterSlot, Station  # noqa: E402

# station code -> display name; 38 stations, loaded once at boot and never written again
with app.app_context():
    STATION_NAMES = {s.code: s.name for s in db.session.scalars(select(Station))}

# roster_id -> (dispatcher, acquired_at); stops two dispatchers editing one roster
EDIT_LOCKS = {}
LOCK_TTL = 300

# (member_id, day) -> availability snapshot pulled from the HR tables
_availability = {}


def member_availability(member_id: int, day: date) -> dict:
    key = (member_id, day)
    if key not in _availability:
        m = db.session.get(CrewMember, member_id)
        if m is None:
            abort(404)
        _availability[key] = {
            "member_id": member_id,
            "on_leave": m.is_on_leave(day),
            "rest_ok": m.rest_hours_before(day) >= 24,
            "quals": sorted(q.code for q in m.qualifications),
        }
    return _availability[key]


@app.post("/rosters/<int:roster_id>/lock")
@login_required
def lock_roster(roster_id):
    holder = EDIT_LOCKS.get(roster_id)
    if holder and holder[0] != current_user.username and time.time() - holder[1] < LOCK_TTL:
        return jsonify(error=f"{holder[0]} is editing this roster"), 423
    EDIT_LOCKS[roster_id] = (current_user.username, time.time())
    return jsonify(ok=True, ttl=LOCK_TTL)


@app.delete("/rosters/<int:roster_id>/lock")
@login_required
def unlock_roster(roster_id):
    holder = EDIT_LOCKS.get(roster_id)
    if holder and holder[0] == current_user.username:
        del EDIT_LOCKS[roster_id]
    return "", 204


@app.put("/rosters/<int:roster_id>/slots/<int:slot_id>")
@login_required
def assign_slot(roster_id, slot_id):
    holder = EDIT_LOCKS.get(roster_id)
    if not holder or holder[0] != current_user.username:
        abort(423)
    member_id = int(request.json["member_id"])
    slot = db.session.get(RosterSlot, slot_id)
    if slot is None or slot.roster_id != roster_id:
        abort(404)
    avail = member_availability(member_id, slot.shift_date)
    if avail["on_leave"] or not avail["rest_ok"]:
        return jsonify(error="member not available", detail=avail), 409
    if slot.required_qual and slot.required_qual not in avail["quals"]:
        return jsonify(error=f"slot needs {slot.required_qual}"), 409
    slot.member_id = member_id
    db.session.commit()
    return jsonify(slot_id=slot.id, member_id=member_id, station=STATION_NAMES[slot.station_code])


@app.get("/rosters/<int:roster_id>")
@login_required
def get_roster(roster_id):
    roster = db.get_or_404(Roster, roster_id)
    slots = db.session.scalars(
        select(RosterSlot)
        .where(RosterSlot.roster_id == roster_id)
        .order_by(RosterSlot.shift_date, RosterSlot.position)
    ).all()
    return jsonify(
        id=roster.id,
        week_of=roster.week_of.isoformat(),
        slots=[{"id": s.id, "date": s.shift_date.isoformat(), "station": STATION_NAMES[s.station_code],
                "position": s.position, "member_id": s.member_id} for s in slots],
    )
