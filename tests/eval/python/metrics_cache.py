"""Dashboard metric helpers used by the analytics views."""
import functools
import json

import redis
from django.db import connection

r = redis.Redis.from_url("redis://cache:6379/0", socket_timeout=2)

_report_cache = {}


def _rows(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]


def revenue_by_month(user_id):
    key = f"dash:{user_id}:revenue_by_month"
    cached = r.get(key)
    if cached:
        return json.loads(cached)
    data = _rows(
        "SELECT date_trunc('month', paid_at) AS month, sum(amount) AS revenue "
        "FROM payments GROUP BY 1 ORDER BY 1"
    )
    r.setex(key, 600, json.dumps(data, default=str))
    return data


def my_open_tickets(user_id):
    key = f"dash:{user_id}:open_tickets"
    cached = r.get(key)
    if cached:
        return json.loads(cached)
    data = _rows(
        "SELECT id, subject, priority FROM tickets WHERE assignee_id = %s AND status = 'open' "
        "ORDER BY priority DESC LIMIT 20",
        (user_id,),
    )
    r.setex(key, 60, json.dumps(data))
    return data


def report(name, start, end):
    key = (name, start, end)
    if key not in _report_cache:
        _report_cache[key] = _rows(
            "SELECT * FROM report_rows WHERE report = %s AND day BETWEEN %s AND %s LIMIT 5000",
            (name, start, end),
        )
    return _report_cache[key]


@functools.lru_cache(maxsize=256)
def country_name(code):
    return _rows("SELECT name FROM countries WHERE code = %s", (code,))[0]["name"]
