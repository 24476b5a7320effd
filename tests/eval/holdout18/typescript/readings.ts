// api/readings.ts -- is this ok? works fine on my machine
import { Client } from 'pg';
import type { Request, Response } from 'express';

export async function latestReadings(req: Request, res: Response) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT DISTINCT ON (sensor_id) sensor_id, temp_c, rh_pct, co2_ppm, recorded_at
         FROM readings
        WHERE room_id = $1 AND recorded_at > now() - interval '1 hour'
        ORDER BY sensor_id, recorded_at DESC`,
      [req.params.roomId],
    );
    res.json(rows);
  } finally {
    await client.end();
  }
}
