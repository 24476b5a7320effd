class OutOfStock(Exception):
    pass


class InventoryService:
    """Stock movements for a single pharmacy store. Called from the dispensing views
    and from the nightly wholesaler import."""

    LOW_STOCK_PAGE = 200

    def dispense(self, store_id: int, ndc: str, qty: int) -> None:
        updated = (
            StockItem.objects
            .filter(store_id=store_id, ndc=ndc, on_hand__gte=qty)
            .update(on_hand=F("on_hand") - qty, updated_at=Now())
        )
        if updated == 0:
            raise OutOfStock(ndc)

    def dispense_controlled(self, store_id: int, ndc: str, qty: int, pharmacist, rx_number: str) -> int:
        # schedule II: the perpetual inventory log must match the shelf count exactly
        with transaction.atomic():
            item = StockItem.objects.select_for_update().get(store_id=store_id, ndc=ndc)
            if item.on_hand < qty:
                raise OutOfStock(ndc)
            item.on_hand -= qty
            item.save(update_fields=["on_hand", "updated_at"])
            ControlledLog.objects.create(
                store_id=store_id,
                ndc=ndc,
                delta=-qty,
                balance_after=item.on_hand,
                pharmacist=pharmacist,
                rx_number=rx_number,
            )
        return item.on_hand

    def receive_shipment(self, store_id: int, lines: list[dict]) -> None:
        # one statement for the whole tote instead of an UPDATE per line
        ndcs = [line["ndc"] for line in lines]
        qtys = [line["qty"] for line in lines]
        with connection.cursor() as cur:
            cur.execute(
                """
                UPDATE inventory_stockitem s
                   SET on_hand = s.on_hand + v.qty, updated_at = now()
                  FROM unnest(%s::text[], %s::int[]) AS v(ndc, qty)
                 WHERE s.store_id = %s AND s.ndc = v.ndc
                """,
                [ndcs, qtys, store_id],
            )

    def low_stock(self, store_id: int, after_id: int = 0):
        return list(
            StockItem.objects
            .filter(store_id=store_id, on_hand__lt=F("reorder_point"), id__gt=after_id)
            .order_by("id")
            .values("id", "ndc", "on_hand", "reorder_point")[: self.LOW_STOCK_PAGE]
        )
