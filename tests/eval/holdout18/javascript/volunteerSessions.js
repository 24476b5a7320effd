/**
 * You're right -- express-session's default MemoryStore only lives inside one
 * process, so with the app running on 3 pods a volunteer would get logged out
 * whenever the load balancer sent them to a different pod. Here's the version
 * backed by Redis (ioredis + connect-redis), plus the visit check-in endpoint
 * made safe against double taps.
 */
const express = require('express');
const session = require('express-session');
const RedisStore = require('connect-redis').default;
const Redis = require('ioredis');
const { Pool } = require('pg');

// One Redis client and one pg pool per process, created at start-up.
const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const app = express();
app.set('trust proxy', 1); // exactly one hop: the ingress controller
app.use(express.json());
app.use(
  session({
    store: new RedisStore({ client: redis, prefix: 'hospice:sess:' }),
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { secure: true, httpOnly: true, sameSite: 'lax', maxAge: 8 * 3600 * 1000 },
  })
);

function requireVolunteer(req, res, next) {
  if (!req.session.volunteerId) return res.status(401).json({ error: 'login required' });
  next();
}

/**
 * GET /me/visits -- the signed-in volunteer's own upcoming visits.
 * Cached per volunteer for 60 s because this list is different for every volunteer.
 */
app.get('/me/visits', requireVolunteer, async (req, res, next) => {
  const volunteerId = req.session.volunteerId;
  const cacheKey = `visits:upcoming:${volunteerId}`;
  try {
    const cached = await redis.get(cacheKey);
    if (cached) return res.type('json').send(cached);

    const { rows } = await pool.query(
      `SELECT v.id, v.scheduled_for, v.status, p.first_name, p.care_home
         FROM visits v JOIN patients p ON p.id = v.patient_id
        WHERE v.volunteer_id = $1 AND v.scheduled_for >= now()
        ORDER BY v.scheduled_for
        LIMIT 50`,
      [volunteerId]
    );
    const body = JSON.stringify(rows);
    await redis.set(cacheKey, body, 'EX', 60);
    res.type('json').send(body);
  } catch (err) {
    next(err);
  }
});

/**
 * POST /visits/:id/check-in
 * The conditional UPDATE is the guard: only a scheduled visit owned by this
 * volunteer can move to in_progress, so a double tap returns 409 instead of
 * writing twice.
 */
app.post('/visits/:id/check-in', requireVolunteer, async (req, res, next) => {
  try {
    const result = await pool.query(
      `UPDATE visits
          SET status = 'in_progress', checked_in_at = now()
        WHERE id = $1 AND volunteer_id = $2 AND status = 'scheduled'
        RETURNING id, checked_in_at`,
      [req.params.id, req.session.volunteerId]
    );
    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'visit is not awaiting check-in' });
    }
    await redis.del(`visits:upcoming:${req.session.volunteerId}`);
    res.json(result.rows[0]);
  } catch (err) {
    next(err);
  }
});

module.exports = app;
