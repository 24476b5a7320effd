# podcast ad insertion service (ads.podhub internal)
# nginx (proxy_read_timeout 30s) -> gunicorn, 2 workers x 8 threads
import math, os, subprocess, tempfile
from array import array
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import psycopg2.extras
from flask import Flask, abort, jsonify

app = Flask(__name__)

DSN = os.environ["DATABASE_URL"]
MEDIA_ROOT = "/srv/media"
PCM_FMT = ["-f", "s16le", "-ac", "1", "-ar", "22050"]


def db():
    conn = psycopg2.connect(DSN)
    conn.autocommit = True
    return conn


def _decode_to_pcm(src, dst):
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", src, *PCM_FMT, dst], check=True)


def _integrated_loudness(pcm_path):
    # crude RMS loudness in dBFS -- good enough to match the ad level to the host's voice
    samples = array("h")
    with open(pcm_path, "rb") as f:
        samples.frombytes(f.read())
    acc = 0.0
    for s in samples:
        acc += s * s
    rms = math.sqrt(acc / max(len(samples), 1))
    return 20 * math.log10(max(rms, 1.0) / 32768.0)


def _build_filter(markers, gains):
    # [0] is the host track; ads [1..n] are spliced in at the marker offsets (seconds)
    parts, labels, prev = [], [], 0.0
    for i, (at, gain) in enumerate(zip(markers, gains), start=1):
        parts.append(f"[0]atrim={prev}:{at},asetpts=PTS-STARTPTS[h{i}]")
        parts.append(f"[{i}]volume={gain:.1f}dB[a{i}]")
        labels += [f"[h{i}]", f"[a{i}]"]
        prev = at
    parts.append(f"[0]atrim=start={prev},asetpts=PTS-STARTPTS[tail]")
    labels.append("[tail]")
    parts.append("".join(labels) + f"concat=n={len(labels)}:v=0:a=1[out]")
    return ";".join(parts)


def stitch_episode(cur, episode, ads):
    """Decode host audio + ads, level-match, splice at the episode's ad markers."""
    with tempfile.TemporaryDirectory() as tmp:
        srcs = [episode["audio_path"]] + [a["audio_path"] for a in ads]
        pcms = []
        for i, src in enumerate(srcs):
            out = os.path.join(tmp, f"{i}.pcm")
            _decode_to_pcm(os.path.join(MEDIA_ROOT, src), out)
            pcms.append(out)

        with ThreadPoolExecutor(max_workers=8) as pool:
            levels = list(pool.map(_integrated_loudness, pcms))

        gains = [levels[0] - lv for lv in levels[1:]]
        rel = f"stitched/{episode['id']}-r{episode['revision'] + 1}.mp3"
        inputs = []
        for p in pcms:
            inputs += [*PCM_FMT, "-i", p]
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", *inputs,
             "-filter_complex", _build_filter(episode["ad_markers"], gains),
             "-map", "[out]", "-b:a", "96k", os.path.join(MEDIA_ROOT, rel)],
            check=True,
        )
    cur.execute("UPDATE episodes SET stitched_path = %s, revision = revision + 1 WHERE id = %s", (rel, episode["id"]))
    return rel


@app.route("/campaigns/<int:campaign_id>/activate", methods=["POST"])
def activate_campaign(campaign_id):
    conn = db()
    try:
        cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
        cur.execute("SELECT id, show_id, status FROM campaigns WHERE id = %s", (campaign_id,))
        camp = cur.fetchone()
        if camp is None:
            abort(404)
        cur.execute("SELECT id, audio_path FROM ad_creatives WHERE campaign_id = %s ORDER BY slot", (campaign_id,))
        ads = cur.fetchall()
        # back-catalogue insertion: every published episode of the show gets the new spots
        cur.execute("SELECT id, audio_path, ad_markers, revision FROM episodes WHERE show_id = %s AND published", (camp["show_id"],))
        episodes = cur.fetchall()
        done = []
        for ep in episodes:
            done.append(stitch_episode(cur, ep, ads[: len(ep["ad_markers"])]))
        cur.execute("UPDATE campaigns SET status = 'active', activated_at = now() WHERE id = %s", (campaign_id,))
        return jsonify(campaign=campaign_id, stitched=len(done))
    finally:
        conn.close()


@app.route("/episodes/<int:episode_id>/ads")
def episode_ads(episode_id):
    conn = db()
    try:
        cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
        cur.execute(
            "SELECT c.id, c.name, a.slot FROM episode_ads a JOIN campaigns c ON c.id = a.campaign_id "
            "WHERE a.episode_id = %s ORDER BY a.slot",
            (episode_id,),
        )
        return jsonify(cur.fetchall())
    finally:
        conn.close()
