# is caching this per owner ok? the "my pets' active prescriptions" panel is on every page
from django.core.cache import cache

RX_TTL = 120


def active_prescriptions(owner_id: int) -> list[dict]:
    key = f"vetrx:active:{owner_id}"
    rx = cache.get(key)
    if rx is None:
        rx = list(
            Prescription.objects.filter(pet__owner_id=owner_id, status="active")
            .select_related("pet", "product")
            .order_by("pet__name", "next_refill_on")
            .values("id", "pet__name", "product__name", "dose", "refills_left", "next_refill_on")[:50]
        )
        cache.set(key, rx, RX_TTL)
    return rx


def invalidate_owner_rx(owner_id: int) -> None:
    # called from the Prescription post_save / post_delete signals
    cache.delete(f"vetrx:active:{owner_id}")
