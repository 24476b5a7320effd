"""Per-IP throttling for the public API, shared by all web workers through Redis."""
from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse

throttle_cache = caches["throttle"]  # django-redis backend
LIMIT = 120
WINDOW = 60


def client_address(request) -> str:
    # The load balancer overwrites X-Real-IP; the app is not reachable directly.
    if settings.BEHIND_TRUSTED_PROXY:
        return request.META.get("HTTP_X_REAL_IP") or request.META["REMOTE_ADDR"]
    return request.META["REMOTE_ADDR"]


class ThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            key = f"throttle:{client_address(request)}"
            added = throttle_cache.add(key, 0, WINDOW)
            count = throttle_cache.incr(key)
            if not added and count > LIMIT:
                return JsonResponse({"error": "rate limited"}, status=429)
        return self.get_response(request)
