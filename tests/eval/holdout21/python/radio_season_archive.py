"""Season archive download for Riverside Community Radio presenters.

Masters are kept as two-hour broadcast WAV files; a season is usually 20-30
episodes. Presenters download a season as a zip of MP3s for their podcast feed.
"""
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

import psycopg2
import psycopg2.extras
from flask import Flask, abort, g, send_file, session

app = Flask(__name__)
app.config.from_prefixed_env()

ARCHIVE_ROOT = Path(os.environ.get("ARCHIVE_ROOT", "/srv/radio/archive"))
DSN = os.environ["RADIO_DB_DSN"]


def get_db():
    if "db" not in g:
        g.db = psycopg2.connect(DSN, connect_timeout=5, cursor_factory=psycopg2.extras.RealDictCursor)
    return g.db


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def _transcode_to_mp3(src: Path, dst: Path) -> None:
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-i", str(src),
         "-codec:a", "libmp3lame", "-b:a", "128k", str(dst)],
        check=True,
        timeout=900,
    )


@app.get("/shows")
def my_shows():
    presenter_id = session.get("presenter_id")
    if presenter_id is None:
        abort(401)
    cur = get_db().cursor()
    cur.execute(
        "SELECT s.id, s.title, s.weekday, s.starts_at FROM shows s "
        "JOIN show_presenters sp ON sp.show_id = s.id "
        "WHERE sp.presenter_id = %s ORDER BY s.title LIMIT 50",
        (presenter_id,),
    )
    return {"shows": cur.fetchall()}


@app.get("/shows/<int:show_id>/seasons/<int:season>/archive.zip")
def season_archive(show_id: int, season: int):
    presenter_id = session.get("presenter_id")
    if presenter_id is None:
        abort(401)

    cur = get_db().cursor()
    cur.execute(
        "SELECT 1 FROM show_presenters WHERE show_id = %s AND presenter_id = %s",
        (show_id, presenter_id),
    )
    if cur.fetchone() is None:
        abort(403)

    cur.execute(
        "SELECT id, aired_on, master_path FROM episodes "
        "WHERE show_id = %s AND season = %s ORDER BY aired_on",
        (show_id, season),
    )
    episodes = cur.fetchall()
    if not episodes:
        abort(404)

    workdir = Path(tempfile.mkdtemp(prefix=f"show{show_id}-s{season}-"))
    zip_path = workdir / f"show-{show_id}-season-{season}.zip"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_STORED) as zf:
        for ep in episodes:
            mp3 = workdir / f"{ep['aired_on']:%Y-%m-%d}.mp3"
            _transcode_to_mp3(ARCHIVE_ROOT / ep["master_path"], mp3)
            zf.write(mp3, arcname=mp3.name)
            mp3.unlink()

    return send_file(zip_path, as_attachment=True, download_name=zip_path.name)
