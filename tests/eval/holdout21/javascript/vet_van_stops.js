// Mobile vet vans — stop list for the driver/vet tablet app.
// Several clinics share this API; every row carries clinic_id and req.auth.clinicId
// comes from the verified JWT. Runs as 4 pods, so throttling state lives in Redis.
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');

const redis = new Redis(process.env.REDIS_URL, { connectTimeout: 3000, commandTimeout: 1000 });
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  connectionTimeoutMillis: 5000,
  statement_timeout: 5000,
});

const router = express.Router();

// fixed-window limiter shared by all pods: INCR + EXPIRE on first hit
async function perUserLimit(req, res, next) {
  const windowSec = 60;
  const key = `rl:vetvan:${req.auth.userId}:${Math.floor(Date.now() / 1000 / windowSec)}`;
  try {
    const [[, count]] = await redis.multi().incr(key).expire(key, windowSec * 2).exec();
    if (count > 120) return res.status(429).json({ error: 'rate limit exceeded' });
    next();
  } catch (err) {
    next(err);
  }
}

// GET /vans/:vanId/stops?date=2024-06-03&after=<stop id>
router.get('/vans/:vanId/stops', perUserLimit, async (req, res, next) => {
  const clinicId = req.auth.clinicId;
  const vanId = Number(req.params.vanId);
  const after = Number(req.query.after) || 0;
  const pageSize = 30;

  try {
    const { rows: stops } = await pool.query(
      `SELECT id, address, window_start, window_end, owner_name, owner_phone
         FROM van_stops
        WHERE clinic_id = $1 AND van_id = $2 AND visit_date = $3 AND id > $4
        ORDER BY id
        LIMIT $5`,
      [clinicId, vanId, req.query.date, after, pageSize]
    );

    // one query for all animals on this page of stops
    const stopIds = stops.map((s) => s.id);
    const { rows: animals } = stopIds.length
      ? await pool.query(
          `SELECT stop_id, name, species, reason
             FROM stop_animals
            WHERE clinic_id = $1 AND stop_id = ANY($2::bigint[])`,
          [clinicId, stopIds]
        )
      : { rows: [] };

    const byStop = new Map();
    for (const a of animals) {
      if (!byStop.has(a.stop_id)) byStop.set(a.stop_id, []);
      byStop.get(a.stop_id).push(a);
    }

    res.json({
      stops: stops.map((s) => ({ ...s, animals: byStop.get(s.id) || [] })),
      nextAfter: stops.length === pageSize ? stops[stops.length - 1].id : null,
    });
  } catch (err) {
    next(err);
  }
});

// POST /stops/:stopId/arrived
router.post('/stops/:stopId/arrived', perUserLimit, async (req, res, next) => {
  try {
    const { rowCount } = await pool.query(
      `UPDATE van_stops SET arrived_at = now(), status = 'on_site'
        WHERE id = $1 AND clinic_id = $2 AND status = 'scheduled'`,
      [Number(req.params.stopId), req.auth.clinicId]
    );
    if (rowCount === 0) return res.status(409).json({ error: 'stop is not scheduled' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
