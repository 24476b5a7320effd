# costumes/webhooks.py
#
# Payment provider callbacks for the theatre costume hire desk. Companies pay a
# refundable deposit when they take a hire; when a hire is returned late, the
# provider captures a late fee and we credit the remainder back to the
# company's account balance, which they can spend on the next production.

log = logging.getLogger(__name__)


def _valid_signature(request) -> bool:
    sent = request.headers.get("X-Payhub-Signature", "")
    expected = hmac.new(
        settings.PAYHUB_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(sent, expected)


def _apply_deposit_settled(data: dict) -> None:
    hire = Hire.objects.select_related("company").get(reference=data["hire_reference"])
    deposit = Decimal(data["deposit_amount"])
    late_fee = Decimal(data.get("captured_amount", "0"))
    refund = deposit - late_fee

    account = CompanyAccount.objects.get(company=hire.company)
    account.credit_balance = account.credit_balance + refund
    account.save(update_fields=["credit_balance"])

    hire.status = Hire.Status.SETTLED
    hire.late_fee = late_fee
    hire.save(update_fields=["status", "late_fee"])

    send_mail(
        subject=f"Costume hire {hire.reference} settled",
        message=(
            f"Thank you for returning the costumes for {hire.production_title}.\n"
            f"Late fee: £{late_fee:.2f}. £{refund:.2f} has been added to your account credit."
        ),
        from_email=settings.WARDROBE_EMAIL,
        recipient_list=[hire.company.billing_email],
    )


@csrf_exempt
@require_POST
def payhub_webhook(request):
    if not _valid_signature(request):
        return HttpResponseBadRequest("bad signature")

    event = json.loads(request.body)
    event_type = event.get("type")
    log.info("payhub event %s (%s)", event.get("id"), event_type)

    if event_type == "deposit.settled":
        try:
            _apply_deposit_settled(event["data"])
        except Hire.DoesNotExist:
            log.warning("deposit.settled for unknown hire %s", event["data"].get("hire_reference"))
            return HttpResponse(status=200)
    elif event_type == "deposit.failed":
        Hire.objects.filter(reference=event["data"]["hire_reference"]).update(
            status=Hire.Status.DEPOSIT_FAILED
        )

    return HttpResponse(status=200)
