# firewood/payments.py (excerpt)
# Community kiln-dried firewood: orders are paid through the card provider's hosted
# checkout; the provider calls us back when a checkout completes.

log = logging.getLogger(__name__)
router = APIRouter()


class YardStock(BaseModel):
    yard_id: int
    name: str
    kiln_dried_m3: float
    next_kiln_batch: date | None


@router.get("/yards/{yard_id}/stock", response_model=YardStock)
async def yard_stock(yard_id: int, db: AsyncSession = Depends(get_db)):
    yard = await db.get(Yard, yard_id)
    if yard is None:
        raise HTTPException(status_code=404)
    return YardStock(
        yard_id=yard.id,
        name=yard.name,
        kiln_dried_m3=float(yard.kiln_dried_m3),
        next_kiln_batch=yard.next_kiln_batch,
    )


@router.post("/webhooks/payments")
async def payment_webhook(request: Request, db: AsyncSession = Depends(get_db)):
    payload = await request.body()
    signature = request.headers.get("Payments-Signature", "")
    try:
        event = verify_and_parse(payload, signature, settings.PAYMENTS_WEBHOOK_SECRET)
    except SignatureError:
        log.warning("payment webhook with bad signature")
        raise HTTPException(status_code=400, detail="bad signature")

    if event["type"] != "checkout.completed":
        return {"received": True}

    order_id = int(event["data"]["metadata"]["firewood_order_id"])
    order = await db.get(FirewoodOrder, order_id)
    if order is None:
        log.error("checkout for unknown firewood order %s", order_id)
        raise HTTPException(status_code=404)

    # Take the logs out of the yard's dried stock and put the load on a delivery run.
    yard = await db.get(Yard, order.yard_id)
    yard.kiln_dried_m3 = yard.kiln_dried_m3 - order.cubic_metres
    order.status = "paid"
    order.paid_at = datetime.now(timezone.utc)
    db.add(
        DeliveryRun(
            order_id=order.id,
            yard_id=yard.id,
            earliest=order.preferred_date,
            postcode=order.delivery_postcode,
            loads=math.ceil(order.cubic_metres / TRAILER_CAPACITY_M3),
        )
    )
    await db.commit()

    send_delivery_confirmation.delay(order.id)
    return {"received": True}
