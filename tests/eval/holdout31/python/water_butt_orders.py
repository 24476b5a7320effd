# allotments/views/water_butts.py
#
# Each spring the association buys water butts in bulk from the council depot.
# Plot holders add butts to the current batch; the committee sends the running
# total to the depot on the closing date and prints a delivery sheet per site
# (about 140 plots across the two sites, so a sheet is a page or two).
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from allotments.models import Plot, WaterButtBatch, WaterButtOrder

MAX_PER_PLOT = 4


@login_required
@require_POST
def add_to_batch(request, batch_id):
    try:
        qty = int(request.POST.get("quantity", "1"))
    except ValueError:
        return HttpResponseBadRequest("quantity must be a number")
    if not 1 <= qty <= MAX_PER_PLOT:
        return HttpResponseBadRequest(f"between 1 and {MAX_PER_PLOT} butts per plot")

    plot = get_object_or_404(Plot, pk=request.POST.get("plot_id"), holder=request.user)
    batch = WaterButtBatch.objects.get(pk=batch_id, status=WaterButtBatch.OPEN)

    with transaction.atomic():
        order = WaterButtOrder.objects.create(
            batch=batch,
            plot=plot,
            member=request.user,
            quantity=qty,
            with_stand=request.POST.get("with_stand") == "on",
        )
        # keep the headline figure on the batch so the committee page stays cheap
        batch.ordered_total = batch.ordered_total + qty
        batch.save(update_fields=["ordered_total"])

    return JsonResponse(
        {"order_id": order.pk, "batch_total": batch.ordered_total},
        status=201,
    )


@login_required
@permission_required("allotments.view_delivery_sheet")
@require_GET
def delivery_sheet(request, batch_id):
    batch = get_object_or_404(WaterButtBatch, pk=batch_id)
    orders = (
        WaterButtOrder.objects.filter(batch=batch, cancelled=False)
        .order_by("plot_id")
    )

    rows = []
    for order in orders:
        plot = Plot.objects.get(pk=order.plot_id)
        rows.append(
            {
                "site": plot.site_name,
                "plot": plot.number,
                "holder": plot.holder_name,
                "butts": order.quantity,
                "stand": order.with_stand,
            }
        )

    return JsonResponse(
        {
            "batch": batch.label,
            "depot_collection": batch.collection_date.isoformat(),
            "total": batch.ordered_total,
            "rows": rows,
        }
    )
