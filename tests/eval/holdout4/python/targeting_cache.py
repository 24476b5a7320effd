# from bidder/targeting.py -- both of these are called on every bid request (~15k rps across 12 pods)
# `db` is our thin psycopg wrapper, `r` is the shared redis client

_segment_cache: dict[tuple[int, str], frozenset[int]] = {}


def segments_for(campaign_id: int, geo: str) -> frozenset[int]:
    key = (campaign_id, geo)
    if key not in _segment_cache:
        rows = db.fetch_all(
            "SELECT segment_id FROM campaign_segments WHERE campaign_id = %s AND geo = %s",
            (campaign_id, geo),
        )
        _segment_cache[key] = frozenset(r["segment_id"] for r in rows)
    return _segment_cache[key]


def pacing_for(campaign_id: int) -> dict:
    cached = r.get(f"pacing:{campaign_id}")
    if cached is not None:
        return json.loads(cached)
    # today's spend so far -- scans the impressions partition for today
    row = db.fetch_one(
        """SELECT COUNT(*) AS imps, COALESCE(SUM(cost_micros), 0) AS spend
           FROM impressions
           WHERE campaign_id = %s AND served_at >= date_trunc('day', now())""",
        (campaign_id,),
    )
    value = {"imps": row["imps"], "spend_micros": row["spend"]}
    r.setex(f"pacing:{campaign_id}", 30, json.dumps(value))
    return value
