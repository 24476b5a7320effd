# hospice volunteer app -- is this caching safe? (2 gunicorn workers, rota changes rarely)
import threading
from functools import lru_cache

from cachetools import TTLCache, cached

_rota_lock = threading.Lock()


@cached(cache=TTLCache(maxsize=512, ttl=300), lock=_rota_lock)
def my_visits(hospice_id: int, volunteer_id: int, week: str) -> list[dict]:
    # only this volunteer's own visits, shown on their phone
    return list(
        Visit.objects.filter(hospice_id=hospice_id, volunteer_id=volunteer_id, week=week)
        .order_by("scheduled_for")
        .values("id", "patient_initials", "scheduled_for", "address_area")
    )


@lru_cache(maxsize=1024)
def travel_band(postcode_district: str) -> str:
    return TRAVEL_BANDS.get(postcode_district.upper(), "C")
