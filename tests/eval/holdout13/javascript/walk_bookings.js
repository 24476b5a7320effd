// routes/walkBookings.js — PawPath marketplace (owners book walkers)
// mounted in app.js as app.use('/api/walks', require('./routes/walkBookings'))
const express = require('express');
const { Pool } = require('pg');
const { requireAuth } = require('../middleware/auth');
const notify = require('../lib/notify');

const router = express.Router();

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});

const MAPS_KEY = process.env.GOOGLE_MAPS_KEY;

// ---- helpers -------------------------------------------------------------

async function walkerIsAvailable(walkerId, startsAt, endsAt) {
  const { rows } = await pool.query(
    `SELECT 1 FROM walks
      WHERE walker_id = $1
        AND status IN ('requested', 'confirmed')
        AND tstzrange(starts_at, ends_at) && tstzrange($2::timestamptz, $3::timestamptz)
      LIMIT 1`,
    [walkerId, startsAt, endsAt]
  );
  return rows.length === 0;
}

async function geocodePickup(address) {
  const url =
    'https://maps.googleapis.com/maps/api/geocode/json?address=' +
    encodeURIComponent(address) +
    '&key=' + MAPS_KEY;
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`geocode failed: ${resp.status}`);
  const body = await resp.json();
  const loc = body.results?.[0]?.geometry?.location;
  return loc ? { lat: loc.lat, lng: loc.lng } : null;
}

// ---- routes --------------------------------------------------------------

// POST /api/walks  { walkerId, dogIds, startsAt, durationMin, pickupAddress }
router.post('/', requireAuth, async (req, res, next) => {
  try {
    const { walkerId, dogIds, startsAt, durationMin, pickupAddress } = req.body;
    if (!walkerId || !Array.isArray(dogIds) || dogIds.length === 0) {
      return res.status(400).json({ error: 'walkerId and dogIds are required' });
    }
    const start = new Date(startsAt);
    const end = new Date(start.getTime() + (durationMin || 30) * 60000);

    const pickup = await geocodePickup(pickupAddress);
    if (!pickup) return res.status(422).json({ error: 'could not find pickup address' });

    if (!(await walkerIsAvailable(walkerId, start, end))) {
      return res.status(409).json({ error: 'walker already booked for that time' });
    }

    const { rows } = await pool.query(
      `INSERT INTO walks (owner_id, walker_id, dog_ids, starts_at, ends_at, pickup_lat, pickup_lng, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested')
       RETURNING id, starts_at, ends_at, status`,
      [req.user.id, walkerId, dogIds, start, end, pickup.lat, pickup.lng]
    );

    try {
      await notify.push(walkerId, { type: 'walk_requested', walkId: rows[0].id });
    } catch (e) {
      // walker sees it in the app anyway
    }

    res.status(201).json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// GET /api/walks/mine?before=<iso>
router.get('/mine', requireAuth, async (req, res, next) => {
  try {
    const before = req.query.before ? new Date(req.query.before) : new Date('9999-01-01');
    const { rows } = await pool.query(
      `SELECT id, walker_id, dog_ids, starts_at, ends_at, status
         FROM walks
        WHERE owner_id = $1 AND starts_at < $2
        ORDER BY starts_at DESC
        LIMIT 25`,
      [req.user.id, before]
    );
    res.json({ items: rows, next: rows.length ? rows[rows.length - 1].starts_at : null });
  } catch (err) {
    next(err);
  }
});

// POST /api/walks/:id/cancel
router.post('/:id/cancel', requireAuth, async (req, res, next) => {
  try {
    const result = await pool.query(
      `UPDATE walks SET status = 'cancelled', cancelled_at = now()
        WHERE id = $1 AND owner_id = $2 AND status IN ('requested', 'confirmed')`,
      [req.params.id, req.user.id]
    );
    if (result.rowCount === 0) return res.status(409).json({ error: 'walk cannot be cancelled' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
