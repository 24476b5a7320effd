// Entries for the county hedge-laying championship (Midland, South of
// England, Welsh Border and Derbyshire styles). The API runs as 3 pods
// behind the ingress, so anything shared lives in Postgres or Redis.
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');
const { authenticate } = require('./auth/jwt');
const log = require('./logger');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
  statement_timeout: 10_000,
});
const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 2_000 });

const WINDOW_SECONDS = 60;
const MAX_ENTRY_ATTEMPTS = 10;

// Fixed-window limiter shared by all pods: one counter per entrant account.
async function entryRateLimit(req, res, next) {
  const key = `rl:hedge-entry:${req.user.id}`;
  try {
    const [, [, count]] = await redis
      .multi()
      .set(key, 0, 'EX', WINDOW_SECONDS, 'NX')
      .incr(key)
      .exec();
    if (count > MAX_ENTRY_ATTEMPTS) {
      res.set('Retry-After', String(WINDOW_SECONDS));
      return res.status(429).json({ error: 'Too many entry attempts, try again shortly' });
    }
    next();
  } catch (err) {
    log.error({ err }, 'rate limiter unavailable');
    next(err);
  }
}

const app = express();
app.use(express.json());

app.post('/competitions/:compId/classes/:classId/entries', authenticate, entryRateLimit, async (req, res, next) => {
  const { compId, classId } = req.params;
  const { style, partnerName } = req.body;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    // One entry per person per class; a double-click hits the unique index.
    const entry = await client.query(
      `INSERT INTO hedge_entries (competition_id, class_id, entrant_id, style, partner_name)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (competition_id, class_id, entrant_id) DO NOTHING
       RETURNING id`,
      [compId, classId, req.user.id, style, partnerName || null]
    );
    if (entry.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'You are already entered in this class' });
    }

    // Each class has a fixed number of hedge lengths ("stints") to lay.
    const stint = await client.query(
      `UPDATE competition_classes
          SET stints_taken = stints_taken + 1
        WHERE id = $1 AND competition_id = $2 AND stints_taken < stint_count
      RETURNING stint_count - stints_taken AS stints_left`,
      [classId, compId]
    );
    if (stint.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'This class is full' });
    }

    await client.query('COMMIT');
    res.status(201).json({ entryId: entry.rows[0].id, stintsLeft: stint.rows[0].stints_left });
  } catch (err) {
    await client.query('ROLLBACK').catch((rbErr) => log.error({ rbErr }, 'rollback failed'));
    log.error({ err, compId, classId }, 'hedge entry failed');
    next(err);
  } finally {
    client.release();
  }
});

module.exports = { app, pool, redis };
