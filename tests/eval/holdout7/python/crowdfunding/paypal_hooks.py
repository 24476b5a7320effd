# this is what we have for the paypal IPN-style webhook, creators say their
# "raised" total sometimes shows more than what actually came in?? any idea

@bp.route("/webhooks/paypal", methods=["POST"])
def paypal_webhook():
    evt = request.get_json(force=True)
    if not verify_paypal_signature(request.headers, request.get_data()):
        return "bad sig", 400

    if evt["event_type"] == "PAYMENT.CAPTURE.COMPLETED":
        res = evt["resource"]
        pledge = Pledge.query.filter_by(paypal_order_id=res["supplementary_data"]["related_ids"]["order_id"]).first_or_404()
        pledge.status = "paid"
        pledge.paid_at = datetime.utcnow()

        campaign = Campaign.query.get(pledge.campaign_id)
        campaign.raised_cents = campaign.raised_cents + pledge.amount_cents
        campaign.backer_count += 1
        db.session.add(Transaction(campaign_id=campaign.id, amount_cents=pledge.amount_cents,
                                   source="paypal", external_id=res["id"]))
        db.session.commit()
        send_backer_receipt.delay(pledge.id)

    elif evt["event_type"] == "PAYMENT.CAPTURE.REFUNDED":
        ...

    return "", 200
