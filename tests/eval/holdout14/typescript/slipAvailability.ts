// You're right that calling `getReservations(slip.id)` inside the `for` loop
// was an N+1 — one query per slip, ~220 queries for Harbor Point. Here's the
// refactored service: one query for the slips, one batched query for all their
// reservations, and the tide-window lookup now has a timeout and a bounded,
// jittered retry.
//
// src/services/slipAvailability.ts
import axios, { AxiosError } from 'axios';
import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 15 });

// timeout lives on the instance, so every call made through `tides` inherits it
const tides = axios.create({
  baseURL: process.env.TIDES_API_URL,
  timeout: 4000,
});

type Slip = { id: number; code: string; lengthFt: number; beamFt: number; minDepthFt: number };
type Reservation = { slipId: number; arrives: Date; departs: Date };

const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;

async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = (err as AxiosError).response?.status;
      const retriable = !status || status >= 500 || status === 429;
      if (!retriable || attempt >= MAX_ATTEMPTS) throw err;
      const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, Math.random() * backoff)); // full jitter
    }
  }
}

export async function availableSlips(marinaId: number, arrives: Date, departs: Date, boatLengthFt: number, draftFt: number) {
  const { rows: slips } = await pool.query<Slip>(
    `SELECT id, slip_code AS code, length_ft AS "lengthFt", beam_ft AS "beamFt", min_depth_ft AS "minDepthFt"
       FROM slips
      WHERE marina_id = $1 AND length_ft >= $2 AND active
      ORDER BY length_ft`,
    [marinaId, boatLengthFt],
  );
  if (slips.length === 0) return [];

  const { rows: reservations } = await pool.query<Reservation>(
    `SELECT slip_id AS "slipId", arrives, departs
       FROM slip_reservations
      WHERE slip_id = ANY($1::int[])
        AND status <> 'cancelled'
        AND arrives < $3 AND departs > $2`,
    [slips.map((s) => s.id), arrives, departs],
  );
  const busy = new Set(reservations.map((r) => r.slipId));

  const { data: tide } = await withRetry(() =>
    tides.get<{ lowestWaterFt: number }>('/window', {
      params: { station: marinaId, from: arrives.toISOString(), to: departs.toISOString() },
    }),
  );

  return slips
    .filter((s) => !busy.has(s.id))
    .filter((s) => s.minDepthFt + tide.lowestWaterFt >= draftFt + 1) // one foot under the keel
    .map(({ id, code, lengthFt, beamFt }) => ({ id, code, lengthFt, beamFt }));
}
