// services/dispatch/src/server.ts
// Mobile vet vans — assigns incoming home-visit requests to the nearest van.
// Deployed as the `vetvan-dispatch` Deployment (replicas: 3) behind the cluster ingress;
// van tablets post their GPS position every 20 s to /vans/:id/position.
import express, { Request, Response, NextFunction } from 'express';
import axios from 'axios';
import { Client } from 'pg';

type LatLng = { lat: number; lng: number; at: number };

const app = express();
app.use(express.json());

const geocoder = axios.create({
  baseURL: 'https://geocode.mapsvendor.example/v1',
  timeout: 3000,
  params: { key: process.env.GEOCODER_KEY },
});

// vanId -> last reported position
const vanPositions = new Map<string, LatLng>();

function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const R = 6371;
  const dLat = ((b.lat - a.lat) * Math.PI) / 180;
  const dLng = ((b.lng - a.lng) * Math.PI) / 180;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos((a.lat * Math.PI) / 180) * Math.cos((b.lat * Math.PI) / 180) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

async function geocode(address: string): Promise<{ lat: number; lng: number }> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const { data } = await geocoder.get('/search', { params: { q: address, limit: 1 } });
      return { lat: data.results[0].lat, lng: data.results[0].lng };
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr;
}

app.post('/vans/:vanId/position', (req: Request, res: Response) => {
  const { lat, lng } = req.body;
  vanPositions.set(req.params.vanId, { lat, lng, at: Date.now() });
  res.status(204).end();
});

app.post('/visits', async (req: Request, res: Response, next: NextFunction) => {
  const { clinicId, address, ownerName, species } = req.body;
  const db = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 });
  try {
    await db.connect();
    const target = await geocode(address);

    const fresh = Date.now() - 2 * 60_000;
    let best: { vanId: string; km: number } | null = null;
    for (const [vanId, pos] of vanPositions) {
      if (pos.at < fresh) continue;
      const km = distanceKm(pos, target);
      if (!best || km < best.km) best = { vanId, km };
    }

    const { rows } = await db.query(
      `INSERT INTO home_visits (clinic_id, address, lat, lng, owner_name, species, van_id, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING id`,
      [clinicId, address, target.lat, target.lng, ownerName, species, best?.vanId ?? null,
       best ? 'assigned' : 'unassigned'],
    );
    res.status(201).json({ visitId: rows[0].id, vanId: best?.vanId ?? null, km: best?.km });
  } catch (err) {
    next(err);
  } finally {
    await db.end();
  }
});

app.listen(Number(process.env.PORT ?? 8080));
