# Kit-check desk for fell race day.
#
# Marshals at the kit tent scan each runner's bib, tick off the mandatory kit
# (waterproof jacket + trousers, hat, gloves, map, compass, whistle, food) and
# the runner is cleared to the start pen. The results tent screen polls the
# summary endpoint every 15 s.
#
# k8s: deployment "kitcheck", replicas: 3, behind the club's ingress.
from datetime import datetime, timezone

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import text

from .db import db
from .models import KitCheck, Runner

bp = Blueprint("kit", __name__, url_prefix="/races/<int:race_id>/kit")

MANDATORY = ("jacket", "trousers", "hat", "gloves", "map", "compass", "whistle", "food")

# bib -> {"marshal": ..., "started": ..., "ticked": set()} while a check is in progress
_open_checks: dict[int, dict] = {}


@bp.post("/<int:bib>/start")
def start_check(race_id: int, bib: int):
    runner = Runner.query.filter_by(race_id=race_id, bib=bib).first_or_404()
    check = {
        "marshal": request.json.get("marshal"),
        "started": datetime.now(timezone.utc),
        "ticked": set(),
    }
    if _open_checks.setdefault(bib, check) is not check:
        return jsonify(error="Runner is already at another desk"), 409
    return jsonify(runner=runner.name, items=MANDATORY)


@bp.post("/<int:bib>/tick")
def tick_item(race_id: int, bib: int):
    item = request.json.get("item")
    if item not in MANDATORY:
        abort(400)
    check = _open_checks.get(bib)
    if check is None:
        abort(409, description="Start the check first")
    check["ticked"].add(item)
    return jsonify(missing=[i for i in MANDATORY if i not in check["ticked"]])


@bp.post("/<int:bib>/finish")
def finish_check(race_id: int, bib: int):
    check = _open_checks.pop(bib, None)
    if check is None:
        abort(409, description="No check in progress")
    passed = all(i in check["ticked"] for i in MANDATORY)
    db.session.add(
        KitCheck(
            race_id=race_id, bib=bib, marshal=check["marshal"], passed=passed,
            items=sorted(check["ticked"]), checked_at=datetime.now(timezone.utc),
        )
    )
    db.session.commit()
    return jsonify(passed=passed)


@bp.get("/summary")
def kit_summary(race_id: int):
    cleared = KitCheck.query.filter_by(race_id=race_id, passed=True).count()
    entered = Runner.query.filter_by(race_id=race_id).count()
    # What runners forget most often, across every race the club has run.
    forgotten = db.session.execute(text("SELECT m.item, COUNT(*) AS times_missing, "
        "ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 1) AS pct "
        "FROM kit_checks k "
        "CROSS JOIN unnest(ARRAY['jacket','trousers','hat','gloves','map','compass','whistle','food']) AS m(item) "
        "WHERE NOT (m.item = ANY(k.items)) "
        "GROUP BY m.item ORDER BY times_missing DESC"
    )).mappings().all()
    return jsonify(entered=entered, cleared=cleared, most_forgotten=[dict(r) for r in forgotten])
