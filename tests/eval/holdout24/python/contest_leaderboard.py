# contest/views.py (excerpt) — live leaderboard + callsign lookups for the
# club's 2m/70cm activity contest. `rds` is the shared redis-py client from
# contest/cache.py, `db` the Flask-SQLAlchemy handle.

LEADERBOARD_TTL = 120  # seconds; logs are uploaded in bursts after each session

LEADERBOARD_SQL = text("""
    SELECT l.callsign,
           l.locator,
           COUNT(q.id)                        AS qsos,
           COUNT(DISTINCT LEFT(q.their_locator, 4)) AS squares,
           SUM(q.distance_km)                 AS points
      FROM contest_logs l
      JOIN qsos q ON q.log_id = l.id AND q.valid
     WHERE l.contest_id = :contest_id
     GROUP BY l.callsign, l.locator
     ORDER BY points DESC
     LIMIT 100
""")


@bp.get("/contests/<int:contest_id>/leaderboard")
@login_required
def leaderboard(contest_id):
    cache_key = f"lb:{contest_id}:{current_user.callsign}"
    cached = rds.get(cache_key)
    if cached:
        return current_app.response_class(cached, mimetype="application/json")

    rows = db.session.execute(LEADERBOARD_SQL, {"contest_id": contest_id}).mappings().all()
    body = json.dumps(
        {
            "contest_id": contest_id,
            "generated_at": datetime.utcnow().isoformat() + "Z",
            "rows": [dict(r) for r in rows],
        },
        default=str,
    )
    rds.setex(cache_key, LEADERBOARD_TTL, body)
    return current_app.response_class(body, mimetype="application/json")


@bp.get("/callsigns/<callsign>")
@login_required
def callsign_info(callsign):
    """Name/QTH for the 'worked before?' popover in the logging UI."""
    callsign = callsign.upper()
    cached = rds.get(f"qrz:{callsign}")
    if cached:
        return json.loads(cached)

    resp = requests.get(
        "https://xmldata.qrz.com/xml/current/",
        params={"s": qrz_session_key(), "callsign": callsign},
    )
    resp.raise_for_status()
    info = parse_qrz_xml(resp.text)
    rds.setex(f"qrz:{callsign}", 86400, json.dumps(info))
    return info
