// Archery range: lane booking API (Express + node-postgres).
// A member picks a lane and a 45-minute slot; we place a short hold while they
// confirm their equipment check, then turn it into a booking.

const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  statement_timeout: 5000,
});

const app = express();
app.use(express.json());

const HOLD_MINUTES = 10;

app.post('/lanes/:laneId/holds', async (req, res, next) => {
  const laneId = Number(req.params.laneId);
  const { slotStart } = req.body;
  const memberId = req.user.id;

  try {
    const { rows: taken } = await pool.query(
      `SELECT 1 FROM lane_bookings WHERE lane_id = $1 AND slot_start = $2
       UNION ALL
       SELECT 1 FROM lane_holds WHERE lane_id = $1 AND slot_start = $2 AND expires_at > now()`,
      [laneId, slotStart]
    );

    if (taken.length > 0) {
      return res.status(409).json({ error: 'lane already taken for that slot' });
    }

    const { rows } = await pool.query(
      `INSERT INTO lane_holds (lane_id, slot_start, member_id, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4))
       RETURNING id, expires_at`,
      [laneId, slotStart, memberId, HOLD_MINUTES]
    );

    res.status(201).json({ holdId: rows[0].id, expiresAt: rows[0].expires_at });
  } catch (err) {
    next(err);
  }
});

app.post('/holds/:holdId/confirm', async (req, res, next) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `SELECT id, lane_id, slot_start, member_id
         FROM lane_holds
        WHERE id = $1 AND member_id = $2 AND expires_at > now()
        FOR UPDATE`,
      [req.params.holdId, req.user.id]
    );
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      return res.status(410).json({ error: 'hold expired' });
    }
    const hold = rows[0];

    await client.query(
      `INSERT INTO lane_bookings (lane_id, slot_start, member_id, bow_type)
       VALUES ($1, $2, $3, $4)`,
      [hold.lane_id, hold.slot_start, hold.member_id, req.body.bowType || 'recurve']
    );
    await client.query('UPDATE lane_holds SET confirmed_at = now() WHERE id = $1', [hold.id]);
    await client.query('COMMIT');

    res.status(201).json({ laneId: hold.lane_id, slotStart: hold.slot_start });
  } catch (err) {
    await client.query('ROLLBACK').catch((rbErr) => console.error('rollback failed', rbErr));
    next(err);
  } finally {
    client.release();
  }
});

app.get('/lanes/:laneId/availability', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT slot_start FROM lane_bookings
        WHERE lane_id = $1 AND slot_start::date = $2::date
        ORDER BY slot_start
        LIMIT 40`,
      [req.params.laneId, req.query.date]
    );
    res.json({ booked: rows.map((r) => r.slot_start) });
  } catch (err) {
    next(err);
  }
});

module.exports = app;
