# claims/adjuster_queue.py
"""'My queue' for adjusters: the open claims assigned to the logged-in adjuster."""
import logging
import threading

from cachetools import TTLCache, cached
from cachetools.keys import hashkey
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from .models import Claim, ClaimStatusCode

log = logging.getLogger(__name__)

# each adjuster's queue is different, so the cache key has to include the adjuster
_queue_cache = TTLCache(maxsize=2000, ttl=20)
_queue_lock = threading.Lock()


@cached(_queue_cache, key=lambda org_id, adjuster_id: hashkey(org_id, adjuster_id), lock=_queue_lock)
def _open_queue(org_id: int, adjuster_id: int) -> list[dict]:
    qs = (
        Claim.objects.filter(org_id=org_id, adjuster_id=adjuster_id,
                             status__in=["open", "awaiting_docs"])
        .select_related("policy", "policy__holder")
        .order_by("priority", "opened_at")[:100]
    )
    return [
        {
            "id": c.id,
            "number": c.number,
            "holder": c.policy.holder.full_name,
            "policy": c.policy.number,
            "priority": c.priority,
            "status": c.status,
            "opened_at": c.opened_at.isoformat(),
        }
        for c in qs
    ]


@login_required
@require_GET
def my_queue(request):
    return JsonResponse({"claims": _open_queue(request.user.org_id, request.user.adjuster_id)})


@login_required
@require_GET
def status_code_detail(request, code):
    # status codes are a global reference table (no org_id column)
    sc = get_object_or_404(ClaimStatusCode, code=code)
    return JsonResponse({"code": sc.code, "label": sc.label, "sla_days": sc.sla_days})


@login_required
@require_POST
def escalate(request, claim_id):
    org_id, adjuster_id = request.user.org_id, request.user.adjuster_id
    try:
        updated = (
            Claim.objects.filter(pk=claim_id, org_id=org_id, adjuster_id=adjuster_id)
            .update(escalation_count=F("escalation_count") + 1, priority=1)
        )
    except Exception:
        log.exception("escalation failed for claim %s", claim_id)
        raise
    if not updated:
        return JsonResponse({"error": "not found"}, status=404)
    with _queue_lock:
        _queue_cache.pop(hashkey(org_id, adjuster_id), None)
    return JsonResponse({"escalated": True})
