"""Volunteer shift sign-up for St. Brigid's Hospice.

Served by gunicorn (4 sync workers) behind nginx; volunteers mostly sign up
from their phones when the weekly rota email goes out on Sunday evening.
"""
import time
from collections import defaultdict, deque

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from rota.models import Shift, ShiftSignup

SIGNUP_WINDOW_SECONDS = 60
SIGNUP_MAX_PER_WINDOW = 5

# volunteer id -> timestamps of recent sign-up attempts
_recent_attempts: dict[int, deque] = defaultdict(deque)


def _too_many_attempts(volunteer_id: int) -> bool:
    now = time.monotonic()
    attempts = _recent_attempts[volunteer_id]
    while attempts and now - attempts[0] > SIGNUP_WINDOW_SECONDS:
        attempts.popleft()
    if len(attempts) >= SIGNUP_MAX_PER_WINDOW:
        return True
    attempts.append(now)
    return False


@login_required
@require_POST
def sign_up_for_shift(request, shift_id: int):
    volunteer = request.user.volunteer

    if _too_many_attempts(volunteer.pk):
        return JsonResponse({"error": "Please wait a minute before trying again."}, status=429)

    shift = get_object_or_404(Shift, pk=shift_id)
    if not volunteer.trained_for(shift.role):
        return JsonResponse({"error": "This shift needs training you haven't completed."}, status=403)

    try:
        with transaction.atomic():
            # unique_together (shift, volunteer) stops double sign-ups
            ShiftSignup.objects.create(shift=shift, volunteer=volunteer)
    except IntegrityError:
        return JsonResponse({"status": "already signed up"}, status=200)

    # keep the rota board's counter in step with the sign-ups
    shift.volunteers_signed = shift.volunteers_signed + 1
    if shift.volunteers_signed >= shift.volunteers_needed:
        shift.status = Shift.Status.COVERED
    shift.save(update_fields=["volunteers_signed", "status"])

    return JsonResponse(
        {
            "status": "signed up",
            "shift": shift.pk,
            "covered": shift.status == Shift.Status.COVERED,
        },
        status=201,
    )


@login_required
@require_POST
def withdraw_from_shift(request, shift_id: int):
    volunteer = request.user.volunteer
    deleted, _ = ShiftSignup.objects.filter(shift_id=shift_id, volunteer=volunteer).delete()
    if not deleted:
        return JsonResponse({"status": "not signed up"}, status=404)

    from django.db.models import F

    Shift.objects.filter(pk=shift_id).update(
        volunteers_signed=F("volunteers_signed") - 1,
        status=Shift.Status.OPEN,
    )
    return JsonResponse({"status": "withdrawn"})
