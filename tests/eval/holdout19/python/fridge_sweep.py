# cron: */15 * * * *  python -m fridge.sweep
# is this safe to run while the app is live? volunteers are updating donations at the same time
import psycopg2


def sweep(dsn, batch=500):
    conn = psycopg2.connect(dsn, connect_timeout=5)
    try:
        with conn.cursor() as cur:
            while True:
                cur.execute(
                    "SELECT id FROM donations WHERE best_before < now() - interval '1 day' "
                    "AND removed_at IS NULL ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                    (batch,),
                )
                ids = [r[0] for r in cur.fetchall()]
                if not ids:
                    break
                cur.execute("UPDATE donations SET removed_at = now(), removed_reason = 'expired' WHERE id = ANY(%s)", (ids,))
                cur.execute("INSERT INTO volunteer_tasks (fridge_id, kind, donation_id) "
                            "SELECT fridge_id, 'discard', id FROM donations WHERE id = ANY(%s)", (ids,))
                conn.commit()
    finally:
        conn.close()
