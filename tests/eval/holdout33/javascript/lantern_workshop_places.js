// services/lanternWorkshops.js
// Lantern parade workshops: families sign up for a willow-and-tissue lantern
// making session before the winter parade. The sign-up page gets hammered the
// evening places open, so the workshop list is cached in Redis and only one
// request per instance rebuilds it when it expires.
const Redis = require('ioredis');
const { pool } = require('../db');
const logger = require('../lib/logger');

const redis = new Redis(process.env.REDIS_URL, { connectTimeout: 2000, commandTimeout: 1000 });

const LIST_TTL_SECONDS = 20;
const HOLD_TTL_SECONDS = 10 * 60;

// In-flight rebuilds per festival. Entries are removed as soon as the promise
// settles, so this never holds more than the festivals being rebuilt right now.
const inflight = new Map();

async function loadWorkshopsFromDb(festivalId) {
  const { rows } = await pool.query(
    `SELECT id, title, starts_at, venue, places_total, places_taken
       FROM lantern_workshops
      WHERE festival_id = $1 AND starts_at > now()
      ORDER BY starts_at
      LIMIT 60`,
    [festivalId]
  );
  return rows;
}

async function getWorkshops(festivalId) {
  const key = `lanterns:workshops:${festivalId}`;
  const cached = await redis.get(key);
  if (cached) {
    return JSON.parse(cached);
  }

  if (!inflight.has(festivalId)) {
    const rebuild = loadWorkshopsFromDb(festivalId)
      .then(async (rows) => {
        await redis.set(key, JSON.stringify(rows), 'EX', LIST_TTL_SECONDS);
        return rows;
      })
      .finally(() => inflight.delete(festivalId));
    inflight.set(festivalId, rebuild);
  }
  return inflight.get(festivalId);
}

/**
 * Holding a place while the family fills in the form. The hold is a Redis key
 * with a TTL, so abandoned forms expire on their own.
 */
async function holdPlace(workshopId, familyId) {
  const ok = await redis.set(`lanterns:hold:${workshopId}:${familyId}`, '1', 'EX', HOLD_TTL_SECONDS, 'NX');
  return ok === 'OK';
}

async function confirmPlace({ festivalId, workshopId, familyId, childrenCount }) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // A double-clicked confirm hits the unique (workshop_id, family_id) index
    // and inserts nothing, so places are only counted once.
    const signup = await client.query(
      `INSERT INTO lantern_signups (festival_id, workshop_id, family_id, children_count)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (workshop_id, family_id) DO NOTHING
       RETURNING id`,
      [festivalId, workshopId, familyId, childrenCount]
    );
    if (signup.rowCount === 0) {
      await client.query('ROLLBACK');
      return { ok: true, alreadyConfirmed: true };
    }
    const claimed = await client.query(
      `UPDATE lantern_workshops
          SET places_taken = places_taken + $3
        WHERE id = $1 AND festival_id = $2 AND places_taken + $3 <= places_total
        RETURNING id`,
      [workshopId, festivalId, childrenCount]
    );
    if (claimed.rowCount === 0) {
      await client.query('ROLLBACK');
      return { ok: false, reason: 'full' };
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, workshopId, familyId }, 'confirming lantern workshop place failed');
    throw err;
  } finally {
    client.release();
  }

  await redis.del(`lanterns:hold:${workshopId}:${familyId}`, `lanterns:workshops:${festivalId}`);
  return { ok: true };
}

module.exports = { getWorkshops, holdPlace, confirmPlace };
