// Lifeboat station open-day tour sign-ups.
// Visitors pick a 20-minute boathouse tour slot (ALB + Shannon class boats,
// launch tractor, crew room). The public site runs as 3 ECS tasks behind the
// load balancer; sign-up is anonymous so we throttle per visitor address.
import express from 'express';
import { pool } from './db.js';
import { logger } from './logger.js';

const router = express.Router();

const SIGNUP_WINDOW_MS = 10 * 60 * 1000;
const MAX_SIGNUPS_PER_WINDOW = 3;

// address -> timestamps of recent sign-ups
const recentSignups = new Map();

// Drop stale entries every minute so the map doesn't keep old visitors.
setInterval(() => {
  const cutoff = Date.now() - SIGNUP_WINDOW_MS;
  for (const [addr, times] of recentSignups) {
    const kept = times.filter((t) => t > cutoff);
    if (kept.length === 0) recentSignups.delete(addr);
    else recentSignups.set(addr, kept);
  }
}, 60_000).unref();

function visitorAddress(req) {
  const forwarded = req.headers['x-forwarded-for'];
  return forwarded ? forwarded.split(',')[0].trim() : req.socket.remoteAddress;
}

function signupThrottle(req, res, next) {
  const addr = visitorAddress(req);
  const now = Date.now();
  const times = (recentSignups.get(addr) || []).filter((t) => t > now - SIGNUP_WINDOW_MS);
  if (times.length >= MAX_SIGNUPS_PER_WINDOW) {
    return res.status(429).json({ error: 'Too many sign-ups from this address, please try later' });
  }
  times.push(now);
  recentSignups.set(addr, times);
  next();
}

router.get('/open-days/:dayId/tours', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT id, starts_at, places_left, accessible_route
         FROM station_tours
        WHERE open_day_id = $1
        ORDER BY starts_at
        LIMIT 40`,
      [req.params.dayId]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

router.post('/tours/:tourId/signups', signupThrottle, async (req, res, next) => {
  const party = Math.max(1, Math.min(Number(req.body.partySize) || 1, 6));
  const { name, email } = req.body;
  if (!name || !email) return res.status(400).json({ error: 'Name and email are required' });

  try {
    // Take the places in the same statement that checks them.
    const taken = await pool.query(
      `UPDATE station_tours
          SET places_left = places_left - $1
        WHERE id = $2 AND places_left >= $1
      RETURNING starts_at, places_left`,
      [party, req.params.tourId]
    );
    if (taken.rowCount === 0) {
      return res.status(409).json({ error: 'Not enough places left on that tour' });
    }

    const { rows } = await pool.query(
      `INSERT INTO tour_signups (tour_id, visitor_name, email, party_size)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [req.params.tourId, name, email, party]
    );
    logger.info({ tourId: req.params.tourId, party }, 'tour sign-up');
    res.status(201).json({ signupId: rows[0].id, startsAt: taken.rows[0].starts_at });
  } catch (err) {
    next(err);
  }
});

export default router;
