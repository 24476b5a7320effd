import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone

from .sms import send_sms


class LoginCode(models.Model):
    phone = models.CharField(max_length=20, db_index=True)
    code = models.CharField(max_length=6)
    expires_at = models.DateTimeField(db_index=True)


def issue_code(phone: str) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    LoginCode.objects.create(phone=phone, code=code, expires_at=timezone.now() + timedelta(minutes=5))
    send_sms(phone, f"Your login code is {code}")


def check_code(phone: str, code: str) -> bool:
    deleted, _ = LoginCode.objects.filter(
        phone=phone, code=code, expires_at__gt=timezone.now()
    ).delete()
    return deleted > 0


def purge_expired_codes() -> int:
    """Run every 10 minutes by celery beat (see CELERY_BEAT_SCHEDULE)."""
    deleted, _ = LoginCode.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
