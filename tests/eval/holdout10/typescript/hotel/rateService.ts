// src/rates/rateService.ts
// Best-available-rate (BAR) lookups for the booking engine + parity pushes.
import Redis from 'ioredis';
import { pool } from '../db';
import { channelAdapters, ChannelAdapter } from '../channels';

const redis = new Redis(process.env.REDIS_URL!);

export interface DailyRate {
  date: string;
  roomTypeId: string;
  ratePlanId: string;
  amountCents: number;
  available: number;
}

// rate plan restrictions rarely change, memoise per property/day
const restrictionMemo = new Map<string, { minStay: number; closedToArrival: boolean }>();

export async function getRestrictions(propertyId: string, date: string) {
  const key = `${propertyId}:${date}`;
  const hit = restrictionMemo.get(key);
  if (hit) return hit;
  const { rows } = await pool.query(
    'SELECT min_stay, closed_to_arrival FROM rate_restrictions WHERE property_id = $1 AND stay_date = $2',
    [propertyId, date],
  );
  const value = { minStay: rows[0]?.min_stay ?? 1, closedToArrival: rows[0]?.closed_to_arrival ?? false };
  restrictionMemo.set(key, value);
  return value;
}

/**
 * Full 365-day rate grid for a property, used by the booking widget calendar.
 * The query merges base rates, seasonal overrides, derived plans and inventory.
 */
export async function getRateGrid(propertyId: string): Promise<DailyRate[]> {
  const cacheKey = `rategrid:${propertyId}`;
  const cached = await redis.get(cacheKey);
  if (cached) return JSON.parse(cached);

  const { rows } = await pool.query<DailyRate>(
    `SELECT d::date::text AS date, rt.id AS "roomTypeId", rp.id AS "ratePlanId",
            COALESCE(so.amount_cents, br.amount_cents) * rp.multiplier AS "amountCents",
            rt.total_rooms - COALESCE(SUM(b.rooms), 0) AS available
       FROM generate_series(current_date, current_date + 364, interval '1 day') d
       JOIN room_types rt ON rt.property_id = $1
       JOIN rate_plans rp ON rp.property_id = $1
       JOIN base_rates br ON br.room_type_id = rt.id
       LEFT JOIN seasonal_overrides so ON so.room_type_id = rt.id AND d::date BETWEEN so.starts_on AND so.ends_on
       LEFT JOIN booking_nights b ON b.room_type_id = rt.id AND b.night = d::date
      GROUP BY d, rt.id, rp.id, so.amount_cents, br.amount_cents, rp.multiplier, rt.total_rooms
      ORDER BY d, rt.id, rp.id`,
    [propertyId],
  );

  await redis.set(cacheKey, JSON.stringify(rows), 'EX', 120);
  return rows;
}

/** Called after a revenue manager saves rates in the extranet. */
export async function pushParity(propertyId: string, channels: string[]) {
  const grid = await getRateGrid(propertyId);
  const pushed: string[] = [];

  for (const code of channels) {
    const adapter: ChannelAdapter | undefined = channelAdapters[code];
    if (!adapter) continue;
    try {
      await adapter.pushRates(propertyId, grid);
      pushed.push(code);
    } catch (e: unknown) {
      // some OTAs flake a lot, don't fail the whole save
      continue;
    }
  }

  await pool.query('UPDATE properties SET last_parity_push_at = now() WHERE id = $1', [propertyId]);
  return { status: 'synced', channels: pushed.length };
}
