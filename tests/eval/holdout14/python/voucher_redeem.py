# is this safe? customers pay part of an escape-room booking with a gift voucher
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def redeem_voucher(request, booking_id):
    booking = get_object_or_404(Booking, pk=booking_id, customer=request.user)
    voucher = GiftVoucher.objects.get(code=request.data["code"].strip().upper())
    amount = min(voucher.balance, booking.amount_due)
    if amount <= 0:
        return Response({"detail": "voucher is empty"}, status=400)
    voucher.balance -= amount
    voucher.save(update_fields=["balance"])
    booking.amount_due -= amount
    booking.save(update_fields=["amount_due"])
    return Response({"applied": str(amount), "remaining": str(voucher.balance)})
