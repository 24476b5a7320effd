// Community radio — public schedule and listener stats endpoints.
// Express app served behind the station's nginx; Redis is shared by all web workers.
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 5000,
  commandTimeout: 2000,
  maxRetriesPerRequest: 2,
});

const pg = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 5000,
  statement_timeout: 30000,
});

const router = express.Router();

function mondayOf(dateStr) {
  const d = dateStr ? new Date(dateStr) : new Date();
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day);
  return d.toISOString().slice(0, 10);
}

// GET /schedule/week?start=2024-05-06 — the programme grid shown on the website
router.get('/schedule/week', async (req, res, next) => {
  const weekStart = mondayOf(req.query.start);
  const key = `schedule:week:${req.user ? req.user.id : 'anon'}:${weekStart}`;

  try {
    const cached = await redis.get(key);
    if (cached) return res.type('json').send(cached);

    const { rows } = await pg.query(
      `SELECT s.id, s.title, s.starts_at, s.ends_at, h.display_name AS host
         FROM schedule_slots s
         JOIN hosts h ON h.id = s.host_id
        WHERE s.starts_at >= $1::date AND s.starts_at < $1::date + interval '7 days'
        ORDER BY s.starts_at
        LIMIT 500`,
      [weekStart]
    );
    const body = JSON.stringify({ weekStart, slots: rows });
    await redis.set(key, body, 'EX', 600);
    res.type('json').send(body);
  } catch (err) {
    next(err);
  }
});

// GET /stats/top-shows — sidebar widget on every page of the site
router.get('/stats/top-shows', async (req, res, next) => {
  try {
    const hit = await redis.get('stats:top-shows:30d');
    if (hit) return res.type('json').send(hit);

    // listener_sessions gets a row per stream connection (~2M rows/month)
    const { rows } = await pg.query(
      `SELECT sh.id, sh.title,
              count(DISTINCT ls.listener_hash) AS listeners,
              sum(extract(epoch FROM ls.ended_at - ls.started_at)) / 3600 AS hours
         FROM listener_sessions ls
         JOIN schedule_slots s ON ls.started_at BETWEEN s.starts_at AND s.ends_at
         JOIN shows sh ON sh.id = s.show_id
        WHERE ls.started_at > now() - interval '30 days'
        GROUP BY sh.id, sh.title
        ORDER BY listeners DESC
        LIMIT 10`
    );
    const body = JSON.stringify({ shows: rows, generatedAt: new Date().toISOString() });
    await redis.set('stats:top-shows:30d', body, 'EX', 300);
    res.type('json').send(body);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
