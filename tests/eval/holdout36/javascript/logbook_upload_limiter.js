// Thatching apprentice logbooks: apprentices upload daily entries (roof, reed type, hours,
// supervising master thatcher). The API runs as 3 pods behind the ingress, so the upload
// limit is kept in Redis where every pod sees the same counter.
const express = require('express');
const Redis = require('ioredis');
const { pool } = require('../db/pool');
const { requireApprentice } = require('../middleware/auth');
const logger = require('../lib/logger');

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 2000,
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
});

const WINDOW_SECONDS = 60 * 60;
const MAX_ENTRIES_PER_WINDOW = 30;

// Fixed-window limiter keyed by the authenticated apprentice, not by anything the client sends.
function logbookLimiter() {
  return async function limit(req, res, next) {
    const windowStart = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    const key = `ratelimit:logbook:${req.user.apprenticeId}:${windowStart}`;
    try {
      const [[, count]] = await redis.multi().incr(key).expire(key, WINDOW_SECONDS + 60).exec();
      res.set('X-RateLimit-Limit', String(MAX_ENTRIES_PER_WINDOW));
      res.set('X-RateLimit-Remaining', String(Math.max(0, MAX_ENTRIES_PER_WINDOW - count)));
      if (count > MAX_ENTRIES_PER_WINDOW) {
        return res.status(429).json({ error: 'too many logbook entries this hour, try again later' });
      }
      return next();
    } catch (err) {
      // Limiter outage should not block apprentices on a roof with patchy signal.
      logger.error({ err, apprenticeId: req.user.apprenticeId }, 'logbook rate limiter unavailable');
      return next();
    }
  };
}

const router = express.Router();

// POST /logbook/entries — entry id is generated on the device so offline retries are safe
router.post('/logbook/entries', requireApprentice, logbookLimiter(), async (req, res, next) => {
  const { entryId, workedOn, hours, roofAddress, material, masterId, notes } = req.body;
  if (!entryId || !workedOn || !(hours > 0 && hours <= 14)) {
    return res.status(400).json({ error: 'entryId, workedOn and hours (0-14) are required' });
  }

  try {
    const { rows, rowCount } = await pool.query(
      `INSERT INTO logbook_entries
         (id, apprentice_id, worked_on, hours, roof_address, material, master_id, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO NOTHING
       RETURNING id, created_at`,
      [entryId, req.user.apprenticeId, workedOn, hours, roofAddress, material, masterId, notes || null]
    );
    if (rowCount === 0) {
      return res.status(200).json({ id: entryId, duplicate: true });
    }
    res.status(201).json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// GET /logbook/entries?before=<iso date> — newest first, one page at a time
router.get('/logbook/entries', requireApprentice, async (req, res, next) => {
  const before = req.query.before ? new Date(req.query.before) : new Date('9999-12-31');
  const pageSize = Math.min(Number(req.query.limit) || 25, 100);
  try {
    const { rows } = await pool.query(
      `SELECT id, worked_on, hours, roof_address, material, master_id, signed_off_at
         FROM logbook_entries
        WHERE apprentice_id = $1 AND worked_on < $2
        ORDER BY worked_on DESC, id DESC
        LIMIT $3`,
      [req.user.apprenticeId, before, pageSize]
    );
    res.json({ entries: rows, nextBefore: rows.length === pageSize ? rows[rows.length - 1].worked_on : null });
  } catch (err) {
    next(err);
  }
});

module.exports = { router, logbookLimiter };
