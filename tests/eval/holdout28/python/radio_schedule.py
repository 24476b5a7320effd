"""Riverside FM – schedule API used by the station website and the listener app.

Runs on two app servers behind nginx; Flask-Caching is backed by the shared
Redis instance so both servers see the same cache.
"""
from datetime import date, datetime

from flask import Flask, abort, jsonify, request
from flask_caching import Cache
from flask_login import LoginManager, current_user, login_required
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config.from_prefixed_env()
app.config.setdefault("CACHE_TYPE", "RedisCache")
app.config.setdefault("CACHE_DEFAULT_TIMEOUT", 600)

db = SQLAlchemy(app)
cache = Cache(app)
login_manager = LoginManager(app)

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Show(db.Model):
    __tablename__ = "shows"
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(120), nullable=False)
    presenter = db.Column(db.String(120), nullable=False)
    genre = db.Column(db.String(40))
    weekday = db.Column(db.SmallInteger, nullable=False)
    start_time = db.Column(db.Time, nullable=False)
    duration_min = db.Column(db.Integer, nullable=False, default=60)
    active = db.Column(db.Boolean, nullable=False, default=True)


class Episode(db.Model):
    __tablename__ = "episodes"
    id = db.Column(db.Integer, primary_key=True)
    show_id = db.Column(db.Integer, db.ForeignKey("shows.id"), nullable=False, index=True)
    aired_on = db.Column(db.Date, nullable=False, index=True)
    title = db.Column(db.String(200))
    playlist_url = db.Column(db.String(300))


def _serialize_show(s: Show) -> dict:
    return {
        "id": s.id,
        "title": s.title,
        "presenter": s.presenter,
        "genre": s.genre,
        "start": s.start_time.strftime("%H:%M"),
        "duration_min": s.duration_min,
    }


@app.get("/api/schedule/week")
@login_required
def weekly_schedule():
    key = f"schedule:week:{current_user.id}"
    grid = cache.get(key)
    if grid is None:
        shows = (
            Show.query.filter_by(active=True)
            .order_by(Show.weekday, Show.start_time)
            .all()
        )
        grid = {day: [] for day in WEEKDAYS}
        for s in shows:
            grid[WEEKDAYS[s.weekday]].append(_serialize_show(s))
        cache.set(key, grid, timeout=600)
    return jsonify(grid)


@app.get("/api/now-playing")
def now_playing():
    now = datetime.now()
    show = (
        Show.query.filter(Show.active.is_(True), Show.weekday == now.weekday())
        .filter(Show.start_time <= now.time())
        .order_by(Show.start_time.desc())
        .first()
    )
    if show is None:
        return jsonify({"on_air": None, "note": "automated playlist"})
    return jsonify({"on_air": _serialize_show(show)})


@app.get("/api/episodes/archive")
def episode_archive():
    genre = request.args.get("genre")
    query = db.session.query(Episode, Show).join(Show, Show.id == Episode.show_id)
    if genre:
        query = query.filter(Show.genre == genre)
    rows = query.order_by(Episode.aired_on.desc()).all()
    out = []
    for ep, show in rows:
        out.append({
            "id": ep.id,
            "show": show.title,
            "aired_on": ep.aired_on.isoformat(),
            "title": ep.title,
            "playlist": ep.playlist_url,
        })
    return jsonify(out)


@app.get("/api/shows/<int:show_id>")
def show_detail(show_id: int):
    show = db.session.get(Show, show_id)
    if show is None or not show.active:
        abort(404)
    return jsonify(_serialize_show(show))
