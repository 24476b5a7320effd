"""Rating ladder service for the Kingsmead Chess Club app.

Either player can submit a result from the club app once a ladder game is
over. Ratings use plain Elo with a higher K-factor for provisional players.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

import requests
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .models import LadderMatch, Player

log = logging.getLogger(__name__)

K_PROVISIONAL = 40
K_ESTABLISHED = 20
PROVISIONAL_GAMES = 12


def expected_score(rating_a: int, rating_b: int) -> float:
    return 1.0 / (1.0 + 10 ** ((rating_b - rating_a) / 400.0))


def k_factor(player: Player) -> int:
    return K_PROVISIONAL if player.games_played < PROVISIONAL_GAMES else K_ESTABLISHED


@dataclass(frozen=True)
class RatingChange:
    match_id: int
    white_delta: int
    black_delta: int
    white_rating: int
    black_rating: int


class LadderService:
    def __init__(self, session: Session, announce_webhook: str | None = None):
        self.session = session
        self.announce_webhook = announce_webhook

    def record_result(self, match_id: int, white_score: float) -> RatingChange:
        if white_score not in (0.0, 0.5, 1.0):
            raise ValueError("score must be 0, 0.5 or 1")

        # Claim the match first so a second submission of the same game is rejected.
        claimed = self.session.execute(
            update(LadderMatch)
            .where(LadderMatch.id == match_id, LadderMatch.result.is_(None))
            .values(result=white_score, played_at=datetime.now(timezone.utc))
            .returning(LadderMatch.white_id, LadderMatch.black_id)
        ).first()
        if claimed is None:
            self.session.rollback()
            raise ValueError(f"match {match_id} already has a result or does not exist")
        white_id, black_id = claimed

        players = self.session.scalars(select(Player).where(Player.id.in_([white_id, black_id]))).all()
        by_id = {p.id: p for p in players}
        white, black = by_id[white_id], by_id[black_id]

        exp_white = expected_score(white.rating, black.rating)
        white_delta = round(k_factor(white) * (white_score - exp_white))
        black_delta = round(k_factor(black) * ((1 - white_score) - (1 - exp_white)))

        white.rating = white.rating + white_delta
        black.rating = black.rating + black_delta
        white.games_played += 1
        black.games_played += 1
        self.session.commit()

        self._announce(white, black, white_score)
        return RatingChange(match_id, white_delta, black_delta, white.rating, black.rating)

    def standings(self, limit: int = 50) -> list[dict]:
        try:
            rows = self.session.execute(
                select(Player.id, Player.name, Player.rating, Player.games_played)
                .where(Player.active.is_(True))
                .order_by(Player.rating.desc(), Player.name)
                .limit(limit)
            ).all()
        except SQLAlchemyError:
            return []
        return [
            {"position": i + 1, "id": r.id, "name": r.name, "rating": r.rating, "games": r.games_played}
            for i, r in enumerate(rows)
        ]

    def _announce(self, white: Player, black: Player, white_score: float) -> None:
        if not self.announce_webhook:
            return
        result = {1.0: "1-0", 0.5: "½-½", 0.0: "0-1"}[white_score]
        text = f"Ladder: {white.name} ({white.rating}) {result} {black.name} ({black.rating})"
        try:
            requests.post(self.announce_webhook, json={"content": text}, timeout=5)
        except requests.RequestException as exc:
            log.warning("ladder announcement failed: %s", exc)
