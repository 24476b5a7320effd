// Pantomime seat holds for the village hall box office.
// A hold keeps seats for 15 minutes while the buyer pays at the door app;
// the sweeper below releases anything that was never paid for.
const express = require('express');
const cron = require('node-cron');
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 5000,
  statement_timeout: 10000,
});

const HOLD_MINUTES = 15;
const router = express.Router();

router.post('/halls/:hallId/performances/:performanceId/holds', async (req, res, next) => {
  const hallId = Number(req.params.hallId);
  const performanceId = Number(req.params.performanceId);
  const seats = Number(req.body.seats);
  if (!Number.isInteger(seats) || seats < 1 || seats > 8) {
    return res.status(400).json({ error: 'seats must be between 1 and 8' });
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Reserve the seats in one conditional statement so two buyers can't both take the last row.
    const reserved = await client.query(
      `UPDATE performances
          SET seats_held = seats_held + $1
        WHERE id = $2 AND village_hall_id = $3
          AND capacity - seats_sold - seats_held >= $1
        RETURNING id`,
      [seats, performanceId, hallId]
    );
    if (reserved.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'Not enough seats left for that performance' });
    }
    const { rows } = await client.query(
      `INSERT INTO ticket_holds (performance_id, village_hall_id, seats, buyer_name, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))
       RETURNING id, expires_at`,
      [performanceId, hallId, seats, req.body.buyerName, HOLD_MINUTES]
    );
    await client.query('COMMIT');
    res.status(201).json(rows[0]);
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

// Every minute: delete lapsed holds and hand their seats back in the same statement.
// Safe to run on every instance; a row can only be deleted once.
async function releaseExpiredHolds() {
  const result = await pool.query(
    `WITH expired AS (
       DELETE FROM ticket_holds
        WHERE expires_at < now()
        RETURNING performance_id, seats
     ), totals AS (
       SELECT performance_id, SUM(seats) AS seats FROM expired GROUP BY performance_id
     )
     UPDATE performances p
        SET seats_held = p.seats_held - t.seats
       FROM totals t
      WHERE p.id = t.performance_id`
  );
  return result.rowCount;
}

cron.schedule('* * * * *', async () => {
  try {
    const released = await releaseExpiredHolds();
    if (released > 0) console.info(`released holds on ${released} performances`);
  } catch (err) {
    console.error('hold sweeper failed', err);
  }
});

module.exports = { router, releaseExpiredHolds };
