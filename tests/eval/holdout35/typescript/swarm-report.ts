// src/swarms/report.ts
// Public "I've seen a swarm" form. We geocode the reporter's postcode, store the
// callout, and return the nearest collectors so the reporter can ring one directly.
import { Router } from 'express';
import { z } from 'zod';
import { db } from '../db';           // node-postgres Pool with statement_timeout set
import { logger } from '../logger';

type LatLng = { lat: number; lng: number };

export const swarmReportRouter = Router();

// Postcode lookups barely change, so keep them for the life of the process.
const postcodeCache = new Map<string, LatLng>();

async function geocodePostcode(raw: string): Promise<LatLng | null> {
  const postcode = raw.replace(/\s+/g, '').toUpperCase();
  const hit = postcodeCache.get(postcode);
  if (hit) return hit;

  const res = await fetch(`https://api.postcodes.io/postcodes/${encodeURIComponent(postcode)}`);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`postcode lookup failed: ${res.status}`);

  const body = (await res.json()) as { result: { latitude: number; longitude: number } };
  const point = { lat: body.result.latitude, lng: body.result.longitude };
  postcodeCache.set(postcode, point);
  return point;
}

const reportSchema = z.object({
  postcode: z.string().min(5).max(8),
  reporterName: z.string().min(1).max(80),
  reporterPhone: z.string().min(6).max(20),
  whereExactly: z.string().max(500),
  heightMetres: z.number().min(0).max(30).optional(),
  clusterSize: z.enum(['small', 'medium', 'large']),
});

swarmReportRouter.post('/swarms/report', async (req, res, next) => {
  const parsed = reportSchema.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ error: parsed.error.flatten() });
  const report = parsed.data;

  try {
    const point = await geocodePostcode(report.postcode);
    if (!point) return res.status(422).json({ error: 'we could not find that postcode' });

    const { rows: [callout] } = await db.query(
      `INSERT INTO swarm_callouts (reporter_name, reporter_phone, where_exactly, height_m,
                                   cluster_size, location, status)
       VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography, 'OPEN')
       RETURNING id, reported_at`,
      [report.reporterName, report.reporterPhone, report.whereExactly, report.heightMetres ?? null,
       report.clusterSize, point.lng, point.lat],
    );

    // Nearest five collectors who are available today, by distance (GiST index on location).
    const { rows: collectors } = await db.query(
      `SELECT b.display_name, b.phone, round(ST_Distance(b.location, c.location) / 1000) AS km
         FROM beekeepers b, swarm_callouts c
        WHERE c.id = $1 AND b.collects_swarms AND b.available_today
        ORDER BY b.location <-> c.location
        LIMIT 5`,
      [callout.id],
    );

    logger.info({ calloutId: callout.id, collectors: collectors.length }, 'swarm reported');
    res.status(201).json({ calloutId: callout.id, reportedAt: callout.reported_at, collectors });
  } catch (err) {
    next(err);
  }
});
