// src/tastings/availability.ts — wedding venue menu-tasting calendar
//
// Couples open the tasting calendar for a venue and month; computing it joins the
// chef rota, existing tastings and kitchen closures, so results are cached briefly.
// Calendars are the same for every couple, so the key is venue + month only.
import { LRUCache } from 'lru-cache';
import { Pool } from 'pg';

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  connectionTimeoutMillis: 5000,
  statement_timeout: 8000,
});

export type TastingDay = { date: string; freeSlots: string[] };

async function computeMonth(venueId: string, month: string): Promise<TastingDay[]> {
  const { rows } = await pool.query<{ day: string; slot: string }>(
    `SELECT to_char(s.slot_start, 'YYYY-MM-DD') AS day, to_char(s.slot_start, 'HH24:MI') AS slot
       FROM tasting_slot_templates s
       JOIN chef_rota r ON r.venue_id = s.venue_id AND r.day = s.slot_start::date
      WHERE s.venue_id = $1
        AND s.slot_start >= $2::date AND s.slot_start < $2::date + interval '1 month'
        AND NOT EXISTS (SELECT 1 FROM tastings t
                         WHERE t.venue_id = s.venue_id AND t.slot_start = s.slot_start
                           AND t.status <> 'cancelled')
        AND NOT EXISTS (SELECT 1 FROM kitchen_closures k
                         WHERE k.venue_id = s.venue_id AND k.day = s.slot_start::date)
      ORDER BY s.slot_start
      LIMIT 400`,
    [venueId, `${month}-01`],
  );
  const byDay = new Map<string, string[]>();
  for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r.slot]);
  return [...byDay].map(([date, freeSlots]) => ({ date, freeSlots }));
}

// Bounded, short-lived cache. fetch() de-duplicates concurrent misses for the same key,
// so an expiring entry triggers one recompute, not one per waiting request.
const calendarCache = new LRUCache<string, TastingDay[]>({
  max: 2000,
  ttl: 60_000,
  allowStale: true,
  fetchMethod: async (key) => {
    const [venueId, month] = key.split('|');
    return computeMonth(venueId, month);
  },
});

export async function tastingCalendar(venueId: string, month: string) {
  return (await calendarCache.fetch(`${venueId}|${month}`)) ?? [];
}

/** Reserve a tasting; UNIQUE (venue_id, slot_start) WHERE status <> 'cancelled'. */
export async function reserveTasting(venueId: string, slotStart: string, coupleId: string) {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO tastings (venue_id, slot_start, couple_id, status)
     VALUES ($1, $2, $3, 'booked')
     ON CONFLICT (venue_id, slot_start) WHERE status <> 'cancelled' DO NOTHING
     RETURNING id`,
    [venueId, slotStart, coupleId],
  );
  if (rows.length === 0) return { ok: false as const, reason: 'slot taken' };

  const month = slotStart.slice(0, 7);
  calendarCache.delete(`${venueId}|${month}`);
  return { ok: true as const, tastingId: rows[0].id };
}
