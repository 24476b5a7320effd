// routes/pressing-slots.js
// Orchard members reserve time on the co-op's shared cider press. Each slot
// has a capacity expressed in crates of apples the press can take that hour.
const express = require('express');
const { Client } = require('pg');
const { requireMember } = require('../middleware/auth');

const router = express.Router();

const MAX_CRATES_PER_BOOKING = 12;

function dbConfig() {
  return {
    connectionString: process.env.DATABASE_URL,
    statement_timeout: 5000,
    connectionTimeoutMillis: 3000,
  };
}

// Small helper so every handler gets a connected client and always closes it.
async function withDb(fn) {
  const client = new Client(dbConfig());
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// GET /press/:pressId/slots?day=2024-10-05
router.get('/:pressId/slots', requireMember, async (req, res, next) => {
  const { pressId } = req.params;
  const day = req.query.day;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) {
    return res.status(400).json({ error: 'day must be YYYY-MM-DD' });
  }
  try {
    const slots = await withDb(async (db) => {
      const { rows } = await db.query(
        `SELECT id, starts_at, capacity_crates, booked_crates
           FROM press_slots
          WHERE press_id = $1 AND starts_at::date = $2
          ORDER BY starts_at
          LIMIT 48`,
        [pressId, day]
      );
      return rows;
    });
    res.json({ day, slots });
  } catch (err) {
    next(err);
  }
});

// POST /press/:pressId/slots/:slotId/reserve  { crates: 4 }
router.post('/:pressId/slots/:slotId/reserve', requireMember, async (req, res, next) => {
  const { pressId, slotId } = req.params;
  const crates = Number(req.body.crates);
  if (!Number.isInteger(crates) || crates < 1 || crates > MAX_CRATES_PER_BOOKING) {
    return res.status(400).json({ error: `crates must be 1-${MAX_CRATES_PER_BOOKING}` });
  }

  try {
    const result = await withDb(async (db) => {
      const { rows } = await db.query(
        'SELECT capacity_crates, booked_crates FROM press_slots WHERE id = $1 AND press_id = $2',
        [slotId, pressId]
      );
      if (rows.length === 0) return { status: 404, body: { error: 'slot not found' } };

      const slot = rows[0];
      const remaining = slot.capacity_crates - slot.booked_crates;
      if (crates > remaining) {
        return { status: 409, body: { error: 'not enough press capacity', remaining } };
      }

      await db.query('BEGIN');
      const ins = await db.query(
        `INSERT INTO press_reservations (slot_id, member_id, crates)
         VALUES ($1, $2, $3) RETURNING id`,
        [slotId, req.member.id, crates]
      );
      await db.query(
        'UPDATE press_slots SET booked_crates = booked_crates + $1 WHERE id = $2',
        [crates, slotId]
      );
      await db.query('COMMIT');

      return {
        status: 201,
        body: { reservationId: ins.rows[0].id, remaining: remaining - crates },
      };
    });
    res.status(result.status).json(result.body);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
