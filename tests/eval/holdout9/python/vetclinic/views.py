# vetclinic/appointments/views.py
import json
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse, Http404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Appointment, Pet, Vaccination


def _clinic_id(request):
    return request.user.staffprofile.clinic_id


@login_required
@require_GET
def todays_appointments(request):
    clinic_id = _clinic_id(request)
    today = timezone.localdate()
    appts = (
        Appointment.objects.filter(clinic_id=clinic_id, starts_at__date=today)
        .select_related("pet", "vet")
        .order_by("starts_at")
    )
    out = []
    for a in appts:
        last_vax = (
            Vaccination.objects.filter(pet_id=a.pet_id).order_by("-given_on").first()
        )
        out.append(
            {
                "id": a.id,
                "time": a.starts_at.strftime("%H:%M"),
                "pet": a.pet.name,
                "vet": a.vet.get_full_name(),
                "last_vaccination": last_vax.given_on.isoformat() if last_vax else None,
            }
        )
    return JsonResponse({"appointments": out})


@login_required
@require_GET
def pet_history(request, pet_id):
    clinic_id = _clinic_id(request)
    try:
        pet = Pet.objects.get(pk=pet_id, clinic_id=clinic_id)
    except Pet.DoesNotExist:
        raise Http404
    visits = Appointment.objects.filter(pet=pet, clinic_id=clinic_id).values(
        "id", "starts_at", "reason", "notes"
    )
    return JsonResponse({"pet": pet.name, "visits": list(visits)})


@login_required
@require_POST
def cancel_appointment(request, appt_id):
    appt = Appointment.objects.filter(pk=appt_id).first()
    if appt is None:
        raise Http404
    appt.status = "cancelled"
    appt.cancelled_by = request.user
    appt.save(update_fields=["status", "cancelled_by"])
    return JsonResponse({"ok": True})


@login_required
@require_GET
def export_all_visits(request):
    """Used by the front desk 'download history' button."""
    clinic_id = _clinic_id(request)
    rows = Appointment.objects.filter(clinic_id=clinic_id).values(
        "id", "pet__name", "pet__owner__email", "starts_at", "reason", "invoice_total"
    )
    return JsonResponse({"rows": list(rows)})
