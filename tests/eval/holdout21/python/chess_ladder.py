LEADERBOARD_KEY = "chess:ladder:v3"
LEADERBOARD_TTL = 120
K_FACTOR = 24
RESULT_SCORES = {"1-0": 1.0, "0-1": 0.0, "1/2-1/2": 0.5}

LADDER_SQL = text(
    """
    SELECT p.id, p.display_name, p.rating,
           COUNT(g.id) AS games,
           SUM(CASE WHEN g.winner_id = p.id THEN 1 ELSE 0 END) AS wins,
           SUM(CASE WHEN g.winner_id IS NULL THEN 1 ELSE 0 END) AS draws,
           MAX(g.played_at) AS last_played,
           percent_rank() OVER (ORDER BY p.rating) AS percentile
    FROM players p
    JOIN games g ON g.white_id = p.id OR g.black_id = p.id
    WHERE p.active
    GROUP BY p.id
    ORDER BY p.rating DESC
    LIMIT 100
    """
)


def club_ladder(db: Session, r: redis.Redis) -> list[dict]:
    """Riverside Chess Club ladder: homepage widget and the TV in the club room."""
    cached = r.get(LEADERBOARD_KEY)
    if cached is not None:
        return json.loads(cached)

    rows = [dict(row._mapping) for row in db.execute(LADDER_SQL)]
    for position, row in enumerate(rows, start=1):
        row["position"] = position
        row["percentile"] = round(float(row["percentile"]) * 100, 1)
    r.set(LEADERBOARD_KEY, json.dumps(rows, default=str), ex=LEADERBOARD_TTL)
    return rows


def expected_score(rating_a: int, rating_b: int) -> float:
    return 1.0 / (1.0 + 10 ** ((rating_b - rating_a) / 400))


def record_game(db: Session, r: redis.Redis, white_id: int, black_id: int, result: str, arbiter_id: int) -> Game:
    """Called by the arbiter tablet for every finished board on club night."""
    if result not in RESULT_SCORES:
        raise ValueError(f"unknown result {result!r}")
    if white_id == black_id:
        raise ValueError("a player cannot play themselves")

    players = {p.id: p for p in db.scalars(select(Player).where(Player.id.in_([white_id, black_id])))}
    white, black = players[white_id], players[black_id]

    score_white = RESULT_SCORES[result]
    exp_white = expected_score(white.rating, black.rating)
    white_before, black_before = white.rating, black.rating

    white.rating = round(white.rating + K_FACTOR * (score_white - exp_white))
    black.rating = round(black.rating + K_FACTOR * ((1 - score_white) - (1 - exp_white)))

    game = Game(
        white_id=white_id,
        black_id=black_id,
        result=result,
        winner_id={1.0: white_id, 0.0: black_id}.get(score_white),
        white_rating_before=white_before,
        black_rating_before=black_before,
        recorded_by=arbiter_id,
        played_at=datetime.now(timezone.utc),
    )
    db.add(game)
    db.commit()
    r.delete(LEADERBOARD_KEY)
    return game
