"""Warehouse API (Django REST framework). Runs under gunicorn with 4 workers."""
from django.db import transaction
from django.db.models import F
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Bin, Movement, Product


@api_view(["POST"])
def move_stock(request):
    src = Bin.objects.get(pk=request.data["from_bin"])
    dst = Bin.objects.get(pk=request.data["to_bin"])
    qty = int(request.data["qty"])
    if src.quantity < qty:
        return Response({"error": "not enough units in source bin"}, status=status.HTTP_409_CONFLICT)
    src.quantity = src.quantity - qty
    dst.quantity = dst.quantity + qty
    src.save()
    dst.save()
    Movement.objects.create(src=src, dst=dst, qty=qty, user=request.user)
    return Response({"moved": qty})


@api_view(["POST"])
def receive(request, bin_id):
    qty = int(request.data["qty"])
    with transaction.atomic():
        updated = Bin.objects.filter(pk=bin_id).update(quantity=F("quantity") + qty)
    if not updated:
        return Response(status=status.HTTP_404_NOT_FOUND)
    return Response({"received": qty})


@api_view(["GET"])
def low_stock(request):
    bins = Bin.objects.filter(quantity__lt=10).select_related("product")[:100]
    return Response([{"bin": b.id, "sku": b.product.sku, "qty": b.quantity} for b in bins])


@api_view(["GET"])
def product_bins(request, sku):
    product = Product.objects.get(sku=sku)
    bins = Bin.objects.filter(product=product).order_by("location")[:200]
    return Response([{"bin": b.id, "location": b.location, "qty": b.quantity} for b in bins])
