// lessonSlots.js — dry-ski slope lesson slots (node-postgres)
// Instructors publish 45-minute slots; a slot holds up to `capacity` skiers
// and a skier can only be in one lesson at a time.
import pg from 'pg';
import { logger } from './logger.js';

export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 15,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 3_000,
  statement_timeout: 5_000,
});

export class SlotFullError extends Error {}
export class AlreadyBookedError extends Error {}

/**
 * Add a skier to a slot. The slot row is locked for the duration of the
 * transaction so two concurrent joins see each other's counts.
 */
export async function joinSlot(slotId, skierId) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      'SELECT capacity, booked FROM lesson_slots WHERE id = $1 FOR UPDATE',
      [slotId]
    );
    if (rows.length === 0) throw new Error(`slot ${slotId} not found`);
    if (rows[0].booked >= rows[0].capacity) throw new SlotFullError();

    // (slot_id, skier_id) is the primary key of slot_skiers.
    const ins = await client.query(
      'INSERT INTO slot_skiers (slot_id, skier_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [slotId, skierId]
    );
    if (ins.rowCount === 0) throw new AlreadyBookedError();

    await client.query('UPDATE lesson_slots SET booked = booked + 1 WHERE id = $1', [slotId]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** Upcoming slots with free places, keyset-paginated by start time. */
export async function listOpenSlots({ after = new Date(), limit = 25 } = {}) {
  const pageSize = Math.min(Math.max(limit, 1), 100);
  const { rows } = await pool.query(
    `SELECT s.id, s.starts_at, s.level, s.capacity - s.booked AS places_left,
            i.display_name AS instructor
       FROM lesson_slots s
       JOIN instructors i ON i.id = s.instructor_id
      WHERE s.starts_at > $1 AND s.booked < s.capacity
      ORDER BY s.starts_at
      LIMIT $2`,
    [after, pageSize]
  );
  return rows;
}

// Express wiring
export function registerSlotRoutes(app) {
  app.get('/slots', async (req, res, next) => {
    try {
      const after = req.query.after ? new Date(req.query.after) : new Date();
      res.json(await listOpenSlots({ after, limit: Number(req.query.limit) || 25 }));
    } catch (err) {
      next(err);
    }
  });

  app.post('/slots/:id/join', async (req, res, next) => {
    try {
      await joinSlot(Number(req.params.id), req.user.id);
      res.status(201).json({ ok: true });
    } catch (err) {
      if (err instanceof SlotFullError) return res.status(409).json({ error: 'Slot is full' });
      if (err instanceof AlreadyBookedError) return res.status(409).json({ error: 'Already booked' });
      logger.error({ err, slotId: req.params.id }, 'join slot failed');
      next(err);
    }
  });
}
