"""Rank support articles for a query. Called from the /search view."""
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

WORD = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    return WORD.findall(text.lower())


def score(query_terms: list[str], article: dict) -> float:
    counts = Counter(tokenize(article["title"] + " " + article["body"]))
    total = sum(counts.values()) or 1
    return sum(counts[t] / total for t in query_terms) + (2.0 if query_terms[0] in article["title"].lower() else 0.0)


def rank(query: str, articles: list[dict], top: int = 10) -> list[dict]:
    terms = tokenize(query)
    if not terms:
        return []
    with ThreadPoolExecutor(max_workers=8) as pool:
        scores = list(pool.map(lambda a: score(terms, a), articles))
    ranked = sorted(zip(scores, articles), key=lambda p: p[0], reverse=True)
    return [a for s, a in ranked[:top] if s > 0]
