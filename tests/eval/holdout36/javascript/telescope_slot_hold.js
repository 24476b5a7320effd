// routes/telescopeSlots.js
// Dark-sky observatory members reserve a telescope for a one-hour slot on a clear night.
// Slots are generated nightly by the scheduler; members hold one from the web app.
const express = require('express');
const { Client } = require('pg');
const { requireMember } = require('../middleware/auth');
const logger = require('../lib/logger');

const router = express.Router();

const PG_CONFIG = {
  host: process.env.PGHOST,
  port: Number(process.env.PGPORT || 5432),
  database: process.env.PGDATABASE,
  user: process.env.PGUSER,
  password: process.env.PGPASSWORD,
  connectionTimeoutMillis: 5000,
  statement_timeout: 10000,
};

// Small helper so each handler gets a connected client and always closes it.
async function withDb(fn) {
  const client = new Client(PG_CONFIG);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// GET /observatories/:obsId/nights/:date/slots — the slot grid for one night
router.get('/observatories/:obsId/nights/:date/slots', requireMember, async (req, res, next) => {
  try {
    const slots = await withDb(async (db) => {
      const { rows } = await db.query(
        `SELECT s.id, s.telescope_id, t.name AS telescope, s.starts_at, s.held_by IS NOT NULL AS taken
           FROM telescope_slots s
           JOIN telescopes t ON t.id = s.telescope_id
          WHERE s.observatory_id = $1
            AND s.starts_at >= $2::date + time '18:00'
            AND s.starts_at <  $2::date + interval '1 day' + time '06:00'
          ORDER BY s.starts_at, t.name
          LIMIT 96`,
        [req.params.obsId, req.params.date]
      );
      return rows;
    });
    res.json({ slots });
  } catch (err) {
    next(err);
  }
});

// POST /observatories/:obsId/slots/:slotId/hold
router.post('/observatories/:obsId/slots/:slotId/hold', requireMember, async (req, res, next) => {
  const { obsId, slotId } = req.params;
  const memberId = req.user.id;

  try {
    const outcome = await withDb(async (db) => {
      const { rows } = await db.query(
        'SELECT id, telescope_id, starts_at, held_by FROM telescope_slots WHERE id = $1 AND observatory_id = $2',
        [slotId, obsId]
      );
      if (rows.length === 0) {
        return { status: 404, body: { error: 'slot not found' } };
      }

      const slot = rows[0];
      if (slot.held_by && slot.held_by !== memberId) {
        return { status: 409, body: { error: 'slot already held by another member' } };
      }
      if (new Date(slot.starts_at) < new Date()) {
        return { status: 422, body: { error: 'slot has already started' } };
      }

      await db.query(
        'UPDATE telescope_slots SET held_by = $1, held_at = now() WHERE id = $2 AND observatory_id = $3',
        [memberId, slotId, obsId]
      );
      return { status: 200, body: { id: slot.id, telescopeId: slot.telescope_id, startsAt: slot.starts_at } };
    });

    if (outcome.status === 200) {
      logger.info({ obsId, slotId, memberId }, 'telescope slot held');
    }
    res.status(outcome.status).json(outcome.body);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
