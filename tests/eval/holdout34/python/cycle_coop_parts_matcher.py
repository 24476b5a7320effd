"""Nightly job: match the co-op's parts wishlist against the supplier catalogue.

Mechanics type free-text wishes ("shimano 9sp chain x3", "28mm presta tubes")
into the parts book. Each night we pull the wholesaler's catalogue and fuzzy-match
every open wish so the volunteer doing the Thursday order gets a ready basket.
"""
import csv
import difflib
import io
import logging
from concurrent.futures import ThreadPoolExecutor

import requests
from celery import shared_task
from sqlalchemy import func, select, update

from coop.db import SessionLocal
from coop.models import PartWish, SuggestedLine

log = logging.getLogger(__name__)

CATALOGUE_URL = "https://trade.example-cycles.co.uk/export/catalogue.csv"
MIN_SCORE = 0.62


def fetch_catalogue(api_key: str) -> list[dict]:
    resp = requests.get(CATALOGUE_URL, headers={"Authorization": f"Bearer {api_key}"})
    resp.raise_for_status()
    reader = csv.DictReader(io.StringIO(resp.text))
    return [row for row in reader if row.get("in_stock") == "Y"]


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def best_match(wish_text: str, catalogue: list[dict]) -> tuple[dict | None, float]:
    """Score a wish against every catalogue line; ~40k lines per call."""
    wanted = _normalise(wish_text)
    best, best_score = None, 0.0
    for item in catalogue:
        score = difflib.SequenceMatcher(None, wanted, item["_norm"]).ratio()
        if score > best_score:
            best, best_score = item, score
    return best, best_score


@shared_task(name="coop.match_wishlist")
def match_wishlist(api_key: str) -> int:
    catalogue = fetch_catalogue(api_key)
    for item in catalogue:
        item["_norm"] = _normalise(f"{item['brand']} {item['description']}")

    with SessionLocal() as session:
        wishes = session.execute(
            select(PartWish).where(PartWish.status == "open").limit(500)
        ).scalars().all()

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda w: best_match(w.text, catalogue), wishes))

        suggested = 0
        for wish, (item, score) in zip(wishes, results):
            if item is None or score < MIN_SCORE:
                continue
            session.add(
                SuggestedLine(
                    wish_id=wish.id,
                    supplier_sku=item["sku"],
                    description=item["description"],
                    unit_price_pence=int(round(float(item["price"]) * 100)),
                    score=round(score, 3),
                )
            )
            suggested += 1

        session.execute(
            update(PartWish)
            .where(PartWish.id.in_([w.id for w in wishes]))
            .values(last_matched_at=func.now())
        )
        session.commit()

    log.info("matched %s of %s open wishes", suggested, len(wishes))
    return suggested
