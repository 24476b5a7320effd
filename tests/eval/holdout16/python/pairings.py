# tournament/pairings.py
# Swiss pairing for the club's weekend opens. Pairing a 400-player open means
# scoring thousands of candidate matchings per score group, which is pure-Python
# CPU work, so score groups are evaluated in a process pool.
import json
import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from itertools import permutations

from flask import Blueprint, Response
from flask_login import current_user, login_required

from tournament.models import Game
from tournament.redis_client import redis_client

bp = Blueprint("pairings", __name__)

_pool = ProcessPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1))


@lru_cache(maxsize=1024)
def expected_score(rating_diff: int) -> float:
    """Elo expected score for a rating difference (clamped to +-800)."""
    rating_diff = max(-800, min(800, rating_diff))
    return 1.0 / (1.0 + 10 ** (-rating_diff / 400))


def _pair_cost(a: dict, b: dict) -> float:
    if b["id"] in a["opponents"]:
        return float("inf")
    colour_penalty = 4.0 if a["colour_due"] == b["colour_due"] else 0.0
    return abs(0.5 - expected_score(a["rating"] - b["rating"])) + colour_penalty


def _best_matching(group: list[dict]) -> tuple[float, list[tuple[int, int]]]:
    """Exhaustive search on small groups, greedy top/bottom split on big ones."""
    if len(group) <= 8:
        best = (float("inf"), [])
        for perm in permutations(group):
            pairs = list(zip(perm[::2], perm[1::2]))
            cost = sum(_pair_cost(a, b) for a, b in pairs)
            if cost < best[0]:
                best = (cost, [(a["id"], b["id"]) for a, b in pairs])
        return best
    half = len(group) // 2
    top, bottom = group[:half], group[half:]
    pairs = list(zip(top, bottom))
    return sum(_pair_cost(a, b) for a, b in pairs), [(a["id"], b["id"]) for a, b in pairs]


def pair_round(players: list[dict]) -> list[tuple[int, int]]:
    groups: dict[float, list[dict]] = {}
    for p in sorted(players, key=lambda p: (-p["points"], -p["rating"])):
        groups.setdefault(p["points"], []).append(p)
    results = _pool.map(_best_matching, groups.values())
    return [pair for _cost, pairs in results for pair in pairs]


@bp.get("/players/me/history")
@login_required
def my_history():
    # a player's own recent games; different for every player, so keyed per user
    key = f"player-history:{current_user.id}"
    cached = redis_client.get(key)
    if cached:
        return Response(cached, mimetype="application/json")
    games = (
        Game.query.filter((Game.white_id == current_user.id) | (Game.black_id == current_user.id))
        .order_by(Game.played_at.desc())
        .limit(100)
        .all()
    )
    body = json.dumps([
        {"id": g.id, "white": g.white_id, "black": g.black_id, "result": g.result,
         "eco": g.eco_code, "played_at": g.played_at.isoformat()}
        for g in games
    ])
    redis_client.set(key, body, ex=300)
    return Response(body, mimetype="application/json")
