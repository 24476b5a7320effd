# payouts/ledger.py -- marketplace v1, do not touch without talking to finance
# (pasted the two functions that matter)

def settle_order(order):
    a = SellerAccount.objects.get(pk=order.seller_id)
    a.available_balance = a.available_balance + order.seller_net
    a.lifetime_sales += 1
    a.save()
    LedgerEntry.objects.create(seller_id=a.id, amount=order.seller_net, kind="sale", ref=order.id)


def request_payout(seller_id, amount):
    acct = SellerAccount.objects.get(pk=seller_id)
    if acct.available_balance < amount:
        return {"ok": False, "error": "insufficient funds"}
    acct.available_balance = acct.available_balance - amount
    acct.save(update_fields=["available_balance"])

    p = Payout.objects.create(seller=acct, amount=amount, status="pending")
    LedgerEntry.objects.create(seller_id=acct.id, amount=-amount, kind="payout", ref=p.id)
    try:
        psp_client.transfer(acct.psp_account_id, int(amount * 100), reference=str(p.id))
        p.status = "sent"
    except:
        pass
    p.save()
    return {"ok": True, "payout_id": p.id}
