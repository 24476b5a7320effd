// Good catch — the VIN decoder call had no timeout, so when the NHTSA mirror was slow
// every listing request hung with it. Here's the updated module: the decode call now
// uses `AbortSignal.timeout(3000)` and falls back to the seller-entered details.
// The rest of the module is unchanged.

// src/listings/listings.cache.ts
import Redis from 'ioredis';
import { pool } from '../db'; // shared pg Pool

export const redis = new Redis(process.env.REDIS_URL!, { commandTimeout: 1000 });

export interface VinDetails {
  make: string;
  model: string;
  year: number;
  trim?: string;
  engine?: string;
}

const VIN_API = 'https://vin-decoder.internal.example.com/api/decode';
const ENDING_SOON_KEY = 'listings:ending-soon:v3';
const ENDING_SOON_TTL_SEC = 30;

// VIN -> decoded details. VINs never change meaning, so we keep them forever.
const vinCache = new Map<string, VinDetails>();

export async function decodeVin(vin: string, fallback: VinDetails): Promise<VinDetails> {
  const known = vinCache.get(vin);
  if (known) return known;
  try {
    const res = await fetch(`${VIN_API}/${encodeURIComponent(vin)}`, {
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return fallback;
    const details = (await res.json()) as VinDetails;
    vinCache.set(vin, details);
    return details;
  } catch (err) {
    console.warn(`VIN decode failed for ${vin}, using seller data`, err);
    return fallback;
  }
}

/**
 * Homepage "Ending soon" carousel: live auctions closing in the next 2 hours with
 * bid counts, watcher counts and the hero photo. Hit on every homepage view.
 */
export async function getEndingSoon() {
  const cached = await redis.get(ENDING_SOON_KEY);
  if (cached) return JSON.parse(cached);

  const { rows } = await pool.query(`
    SELECT a.id, a.ends_at, a.current_bid_cents, v.vin, v.make, v.model, v.year, v.mileage,
           COUNT(DISTINCT b.id)  AS bid_count,
           COUNT(DISTINCT w.user_id) AS watchers,
           (SELECT url FROM vehicle_photos ph WHERE ph.vehicle_id = v.id ORDER BY ph.position LIMIT 1) AS hero
      FROM auctions a
      JOIN vehicles v ON v.id = a.vehicle_id
      LEFT JOIN bids b ON b.auction_id = a.id
      LEFT JOIN watchlist w ON w.auction_id = a.id
     WHERE a.status = 'live' AND a.ends_at BETWEEN now() AND now() + interval '2 hours'
     GROUP BY a.id, v.id
     ORDER BY watchers DESC, a.ends_at ASC
     LIMIT 24`);

  const listings = await Promise.all(
    rows.map(async (r: any) => ({
      ...r,
      vehicle: await decodeVin(r.vin, { make: r.make, model: r.model, year: r.year }),
    })),
  );

  await redis.set(ENDING_SOON_KEY, JSON.stringify(listings), 'EX', ENDING_SOON_TTL_SEC);
  return listings;
}
