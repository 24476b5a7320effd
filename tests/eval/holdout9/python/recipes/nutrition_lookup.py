# is this ok for a long running api? ingredient names come from user recipes
from functools import lru_cache

from cachetools import TTLCache, cached

from .usda import fetch_nutrients  # calls the USDA API, has timeout=5 inside


@lru_cache(maxsize=4096)
def normalize_ingredient(name: str) -> str:
    return " ".join(name.lower().replace(",", " ").split())


@cached(cache=TTLCache(maxsize=10_000, ttl=24 * 3600))
def nutrients_for(normalized_name: str) -> dict:
    return fetch_nutrients(normalized_name)


def recipe_calories(ingredients: list[tuple[str, float]]) -> float:
    total = 0.0
    for name, grams in ingredients:
        info = nutrients_for(normalize_ingredient(name))
        total += info.get("kcal_per_100g", 0) * grams / 100
    return round(total, 1)
