# podcasts/episodes.py
# Served by gunicorn -w 4 --timeout 30 behind nginx (proxy_read_timeout 30s).
import os
import subprocess
import tempfile
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime

import boto3
from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import func

from .extensions import cache, db
from .models import Download, Episode, Show

bp = Blueprint("episodes", __name__)
s3 = boto3.client("s3")
MEDIA_BUCKET = os.environ["MEDIA_BUCKET"]
FEED_TTL = 300


@bp.route("/shows/<slug>/feed.xml")
def rss_feed(slug):
    # Podcast apps poll this constantly (Apple, Spotify, Overcast...), so cache it.
    xml = cache.get(f"feed:{slug}")
    if xml is None:
        show = Show.query.filter_by(slug=slug).first_or_404()
        episodes = (
            db.session.query(Episode, func.count(Download.id).label("plays"))
            .outerjoin(Download, Download.episode_id == Episode.id)
            .filter(Episode.show_id == show.id, Episode.published_at.isnot(None))
            .group_by(Episode.id)
            .order_by(Episode.published_at.desc())
            .limit(300)
            .all()
        )
        xml = render_template(
            "feed.xml",
            show=show,
            episodes=episodes,
            build_date=format_datetime(datetime.now(timezone.utc)),
        )
        cache.set(f"feed:{slug}", xml, timeout=FEED_TTL)
    return Response(xml, mimetype="application/rss+xml")


@bp.route("/shows/<int:show_id>/episodes", methods=["POST"])
@login_required
def upload_episode(show_id):
    show = Show.query.filter_by(id=show_id, owner_id=current_user.id).first_or_404()
    f = request.files.get("audio")
    if f is None:
        abort(400, "audio file required")

    episode_id = uuid.uuid4().hex
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, f.filename)
        f.save(src)
        out = os.path.join(tmp, f"{episode_id}.mp3")
        # normalise loudness and re-encode to 128k mono MP3 for the feed
        subprocess.run(
            ["ffmpeg", "-y", "-i", src, "-af", "loudnorm=I=-16:TP=-1.5:LRA=11",
             "-ac", "1", "-b:a", "128k", out],
            check=True,
            capture_output=True,
        )
        s3.upload_file(out, MEDIA_BUCKET, f"{show.slug}/{episode_id}.mp3",
                       ExtraArgs={"ContentType": "audio/mpeg"})
        size = os.path.getsize(out)

    ep = Episode(
        id=episode_id,
        show_id=show.id,
        title=request.form["title"],
        description=request.form.get("description", ""),
        audio_key=f"{show.slug}/{episode_id}.mp3",
        audio_bytes=size,
    )
    db.session.add(ep)
    db.session.commit()
    cache.delete(f"feed:{show.slug}")
    return jsonify(id=ep.id), 201


@bp.route("/episodes/<episode_id>/publish", methods=["POST"])
@login_required
def publish(episode_id):
    ep = (Episode.query.join(Show)
          .filter(Episode.id == episode_id, Show.owner_id == current_user.id)
          .first_or_404())
    ep.published_at = datetime.now(timezone.utc)
    db.session.commit()
    cache.delete(f"feed:{ep.show.slug}")
    return jsonify(ok=True)
