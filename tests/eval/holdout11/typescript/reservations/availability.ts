/**
 * Updated availability + hold module.
 *
 * As you asked, the double-hold problem is fixed: the hold is now claimed with a
 * Redis `SET NX` so only one guest can hold a table for a slot at a time, instead
 * of the old "check the holds table, then insert" flow.
 */
import Redis from "ioredis";
import { Pool } from "pg";

const redis = new Redis(process.env.REDIS_URL!);
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 15 });

const HOLD_SECONDS = 600;
const AVAILABILITY_TTL = 30;

export interface SlotAvailability {
  slotId: string;
  startsAt: string;
  freeTables: { tableId: string; seats: number }[];
}

/** Free tables per slot for a restaurant and day (powers the booking widget). */
export async function getAvailability(restaurantId: string, day: string): Promise<SlotAvailability[]> {
  const cacheKey = `avail:${restaurantId}:${day}`;
  const cached = await redis.get(cacheKey);
  if (cached) return JSON.parse(cached);

  const { rows } = await pool.query(
    `SELECT s.id AS slot_id, s.starts_at,
            json_agg(json_build_object('tableId', t.id, 'seats', t.seats) ORDER BY t.seats)
              FILTER (WHERE r.id IS NULL AND h.id IS NULL) AS free_tables
       FROM slots s
       JOIN restaurant_tables t ON t.restaurant_id = s.restaurant_id
       LEFT JOIN reservations r ON r.slot_id = s.id AND r.table_id = t.id AND r.status = 'confirmed'
       LEFT JOIN table_holds h ON h.slot_id = s.id AND h.table_id = t.id AND h.hold_until > now()
      WHERE s.restaurant_id = $1 AND s.starts_at::date = $2::date
      GROUP BY s.id, s.starts_at
      ORDER BY s.starts_at`,
    [restaurantId, day],
  );

  const result: SlotAvailability[] = rows.map((r) => ({
    slotId: r.slot_id,
    startsAt: r.starts_at.toISOString(),
    freeTables: r.free_tables ?? [],
  }));
  await redis.set(cacheKey, JSON.stringify(result), "EX", AVAILABILITY_TTL);
  return result;
}

/** Place a 10-minute hold while the guest fills in their details. */
export async function holdTable(restaurantId: string, slotId: string, tableId: string, guestId: string) {
  const lockKey = `hold:${slotId}:${tableId}`;
  const claimed = await redis.set(lockKey, guestId, "EX", HOLD_SECONDS, "NX");
  if (claimed !== "OK") {
    return { ok: false as const, reason: "table is being held by another guest" };
  }

  const { rows } = await pool.query(
    `INSERT INTO table_holds (restaurant_id, slot_id, table_id, guest_id, hold_until)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
     RETURNING id, hold_until`,
    [restaurantId, slotId, tableId, guestId, HOLD_SECONDS],
  );
  return { ok: true as const, holdId: rows[0].id, holdUntil: rows[0].hold_until };
}

/** Guest confirms: turn the hold into a reservation. */
export async function confirmHold(holdId: string, guestId: string) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query(
      `UPDATE table_holds SET confirmed_at = now()
        WHERE id = $1 AND guest_id = $2 AND confirmed_at IS NULL AND hold_until > now()
        RETURNING restaurant_id, slot_id, table_id`,
      [holdId, guestId],
    );
    if (rows.length === 0) {
      await client.query("ROLLBACK");
      return null;
    }
    const h = rows[0];
    const ins = await client.query(
      `INSERT INTO reservations (restaurant_id, slot_id, table_id, guest_id, status)
       VALUES ($1, $2, $3, $4, 'confirmed') RETURNING id`,
      [h.restaurant_id, h.slot_id, h.table_id, guestId],
    );
    await client.query("COMMIT");
    await redis.del(`hold:${h.slot_id}:${h.table_id}`);
    return ins.rows[0].id as string;
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
}
