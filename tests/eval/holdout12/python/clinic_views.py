# clinics/views.py
# Every user belongs to exactly one clinic; ClinicMiddleware sets request.clinic.
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Appointment, Invoice, Owner, Pet, Vaccination


@login_required
@require_GET
def todays_schedule(request):
    today = timezone.localdate()
    appts = Appointment.objects.filter(clinic=request.clinic, starts_at__date=today).order_by("starts_at")
    rows = []
    for appt in appts:
        owner = Owner.objects.get(pk=appt.owner_id)
        rows.append({
            "id": appt.id,
            "time": appt.starts_at.strftime("%H:%M"),
            "pet": appt.pet_name,
            "owner": owner.full_name,
            "phone": owner.phone,
            "vet": appt.vet_initials,
        })
    return JsonResponse({"date": today.isoformat(), "appointments": rows})


@login_required
@require_GET
def pet_list(request):
    qs = Pet.objects.filter(clinic=request.clinic).select_related("owner").order_by("name")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return JsonResponse({
        "results": [{"id": p.id, "name": p.name, "species": p.species, "owner": p.owner.full_name}
                    for p in page],
        "has_next": page.has_next(),
    })


@login_required
@require_GET
def pet_detail(request, pet_id):
    pet = get_object_or_404(Pet, pk=pet_id)
    vaccs = Vaccination.objects.filter(clinic=request.clinic, pet=pet).order_by("-given_on")[:20]
    return JsonResponse({
        "id": pet.id,
        "name": pet.name,
        "species": pet.species,
        "breed": pet.breed,
        "weight_kg": float(pet.weight_kg or 0),
        "vaccinations": [{"vaccine": v.vaccine, "given_on": v.given_on.isoformat(),
                          "due_on": v.due_on.isoformat() if v.due_on else None} for v in vaccs],
    })


@login_required
@require_GET
def invoice_history(request):
    # used by the front desk "billing history" tab, newest first
    invoices = Invoice.objects.filter(clinic=request.clinic).order_by("-issued_at").values(
        "id", "number", "owner__full_name", "total_cents", "issued_at", "paid_at")
    return JsonResponse({"invoices": list(invoices)})


@login_required
@require_POST
def record_vaccination(request, pet_id):
    pet = get_object_or_404(Pet, pk=pet_id, clinic=request.clinic)
    vaccine = request.POST.get("vaccine")
    if not vaccine:
        return HttpResponseBadRequest("vaccine is required")
    given = timezone.localdate()
    months = int(request.POST.get("valid_months", 12))
    v = Vaccination.objects.create(
        clinic=request.clinic, pet=pet, vaccine=vaccine, given_on=given,
        due_on=given + dt.timedelta(days=30 * months), vet=request.user,
    )
    return JsonResponse({"id": v.id}, status=201)
