from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .forms import DonationForm, DonationItemFormSet
from .models import Donation, DonationItem, Fridge


@require_GET
def donations_feed(request, slug):
    """Feed for the noticeboard tablet next to the fridge and the public page."""
    fridge = get_object_or_404(Fridge, slug=slug, is_active=True)
    donations = Donation.objects.filter(fridge=fridge).select_related("donor").order_by("-dropped_off_at")

    feed = []
    for donation in donations:
        feed.append(
            {
                "id": donation.id,
                "donor": donation.donor.display_name if donation.donor else "Anonymous",
                "dropped_off_at": donation.dropped_off_at.isoformat(),
                "use_by": donation.use_by.isoformat() if donation.use_by else None,
                "items": [
                    {"name": item.name, "quantity": item.quantity, "allergens": item.allergens}
                    for item in donation.items.all()
                ],
            }
        )

    return JsonResponse({"fridge": fridge.name, "address": fridge.address, "donations": feed})


@login_required
@require_POST
def record_donation(request, slug):
    fridge = get_object_or_404(Fridge, slug=slug, is_active=True)
    form = DonationForm(request.POST)
    items = DonationItemFormSet(request.POST)
    if not (form.is_valid() and items.is_valid()):
        return JsonResponse({"errors": {**form.errors, "items": items.errors}}, status=400)

    with transaction.atomic():
        donation = form.save(commit=False)
        donation.fridge = fridge
        donation.donor = request.user.volunteer if form.cleaned_data.get("credit_me") else None
        donation.dropped_off_at = timezone.now()
        donation.save()
        DonationItem.objects.bulk_create(
            [
                DonationItem(
                    donation=donation,
                    name=f.cleaned_data["name"],
                    quantity=f.cleaned_data["quantity"],
                    allergens=f.cleaned_data.get("allergens", ""),
                )
                for f in items
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
        )

    return JsonResponse({"id": donation.id}, status=201)
