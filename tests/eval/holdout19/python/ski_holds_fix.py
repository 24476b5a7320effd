# You're right -- the original `hold_skis()` checked availability and inserted the hold in two
# separate statements, so two customers could grab the last pair of 170cm Volkls at the same
# moment. Here's the fixed version. It locks the inventory row with SELECT ... FOR UPDATE, so
# concurrent holds on the same ski/length are serialized (psycopg 3):

def hold_skis(conn, shop_id: int, ski_model_id: int, length_cm: int, customer_id: int) -> int:
    with conn.transaction():
        inv = conn.execute(
            "SELECT id, total_pairs FROM ski_inventory "
            "WHERE shop_id = %s AND ski_model_id = %s AND length_cm = %s FOR UPDATE",
            (shop_id, ski_model_id, length_cm),
        ).fetchone()
        if inv is None:
            raise NotFound("that ski/length isn't stocked at this shop")
        inventory_id, total_pairs = inv

        held = conn.execute(
            "SELECT count(*) FROM ski_holds WHERE inventory_id = %s AND hold_until > now()",
            (inventory_id,),
        ).fetchone()[0]
        out = conn.execute(
            "SELECT count(*) FROM rentals WHERE inventory_id = %s AND returned_at IS NULL",
            (inventory_id,),
        ).fetchone()[0]
        if held + out >= total_pairs:
            raise SoldOut()

        hold_id = conn.execute(
            "INSERT INTO ski_holds (inventory_id, customer_id, hold_until) "
            "VALUES (%s, %s, now() + interval '20 minutes') RETURNING id",
            (inventory_id, customer_id),
        ).fetchone()[0]
    return hold_id

# Expired holds don't need any cleanup: the availability count above only looks at
# `hold_until > now()`, so a lapsed hold simply stops counting.
