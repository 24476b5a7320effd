// Public dock availability map for the city bike-share app.
// The map polls GET /v1/docks/availability every 20 s while it is open.
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');

const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 2000 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 25, statement_timeout: 20000 });

const AVAILABILITY_KEY = 'docks:availability:v3';
const AVAILABILITY_TTL_S = 30;
const RATE_LIMIT_PER_MIN = 120;

const app = express();
app.use(express.json());

// Anonymous map traffic is limited per client address so scrapers don't hog the API.
async function limitByClient(req, res, next) {
  const clientIp = (req.headers['x-forwarded-for'] || req.socket.remoteAddress || '').split(',')[0].trim();
  const bucket = `rl:docks:${clientIp}:${Math.floor(Date.now() / 60000)}`;
  try {
    const hits = await redis.incr(bucket);
    if (hits === 1) await redis.expire(bucket, 60);
    if (hits > RATE_LIMIT_PER_MIN) {
      res.set('Retry-After', '60');
      return res.status(429).json({ error: 'too many requests' });
    }
    next();
  } catch (err) {
    next(err);
  }
}

// Free bikes and empty slots per dock, derived from the event log so that
// docks whose telemetry is stale are shown as "unknown" instead of stale numbers.
async function computeAvailability() {
  const { rows } = await pool.query(`
    WITH last_event AS (
      SELECT DISTINCT ON (dock_id) dock_id, bikes_present, ebikes_present, recorded_at
        FROM dock_events
       WHERE recorded_at > now() - interval '7 days'
       ORDER BY dock_id, recorded_at DESC
    )
    SELECT d.id, d.name, d.lat, d.lng, d.capacity,
           le.bikes_present, le.ebikes_present,
           d.capacity - coalesce(le.bikes_present + le.ebikes_present, 0) AS free_slots,
           (le.recorded_at < now() - interval '10 minutes') AS stale
      FROM docks d
      LEFT JOIN last_event le ON le.dock_id = d.id
     WHERE d.active
  `);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    position: [Number(r.lat), Number(r.lng)],
    bikes: r.stale ? null : r.bikes_present,
    ebikes: r.stale ? null : r.ebikes_present,
    freeSlots: r.stale ? null : r.free_slots,
  }));
}

app.get('/v1/docks/availability', limitByClient, async (req, res, next) => {
  try {
    const cached = await redis.get(AVAILABILITY_KEY);
    if (cached) {
      res.set('Cache-Control', 'public, max-age=15');
      return res.type('application/json').send(cached);
    }

    const docks = await computeAvailability();
    const body = JSON.stringify({ generatedAt: new Date().toISOString(), docks });
    await redis.set(AVAILABILITY_KEY, body, 'EX', AVAILABILITY_TTL_S);

    res.set('Cache-Control', 'public, max-age=15');
    res.type('application/json').send(body);
  } catch (err) {
    next(err);
  }
});

app.get('/v1/docks/:dockId', limitByClient, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      'SELECT id, name, lat, lng, capacity, opened_on FROM docks WHERE id = $1 AND active',
      [req.params.dockId]
    );
    if (rows.length === 0) return res.status(404).json({ error: 'dock not found' });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

module.exports = app;
