@app.route("/webhooks/payouts", methods=["POST"])
def payout_webhook():
    sig = request.headers.get("X-Payrail-Signature", "")
    if not verify_signature(request.get_data(), sig, PAYRAIL_SECRET):
        return "bad signature", 400

    event = request.get_json()
    try:
        if event["type"] == "payout.completed":
            claim = Claim.query.filter_by(payout_ref=event["data"]["payout_id"]).first()
            claim.status = "paid"
            claim.paid_at = datetime.utcnow()
            db.session.add(LedgerEntry(claim_id=claim.id, kind="payout",
                                       amount_cents=event["data"]["amount_cents"]))
            db.session.commit()
            send_claimant_email(claim.claimant_email, "payout_sent", amount=event["data"]["amount_cents"])
        elif event["type"] == "payout.failed":
            claim = Claim.query.filter_by(payout_ref=event["data"]["payout_id"]).first()
            claim.status = "payout_failed"
            db.session.commit()
    except Exception:
        db.session.rollback()
        return "", 200

    return "", 200
