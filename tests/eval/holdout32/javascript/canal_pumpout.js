// Pump-out bookings at the marina service wharf.
// Each wharf can do a limited number of pump-outs per day; we lock the
// wharf-day row while counting so two boaters can't both get the last slot.
const express = require('express');
const axios = require('axios');
const { pool } = require('../db');
const logger = require('../logger');

const router = express.Router();

const wharfPager = axios.create({
  baseURL: process.env.WHARF_PAGER_URL,
  timeout: 3000,
});

router.post('/marinas/:marinaId/pumpouts', async (req, res, next) => {
  const marinaId = Number(req.params.marinaId);
  const { wharfId, boatName, licenceNo, date } = req.body;
  if (!wharfId || !boatName || !licenceNo || !date) {
    return res.status(400).json({ error: 'wharfId, boatName, licenceNo and date are required' });
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: days } = await client.query(
      `SELECT id, max_pumpouts, booked_count
         FROM wharf_days
        WHERE wharf_id = $1 AND marina_id = $2 AND day = $3
        FOR UPDATE`,
      [wharfId, marinaId, date]
    );
    if (days.length === 0) {
      await client.query('ROLLBACK');
      return res.status(404).json({ error: 'Wharf is not open that day' });
    }
    const day = days[0];
    if (day.booked_count >= day.max_pumpouts) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'No pump-out slots left that day' });
    }

    const { rows } = await client.query(
      `INSERT INTO pumpout_bookings (marina_id, wharf_day_id, boat_name, licence_no)
       VALUES ($1, $2, $3, $4)
       RETURNING id, created_at`,
      [marinaId, day.id, boatName, licenceNo]
    );
    await client.query('UPDATE wharf_days SET booked_count = booked_count + 1 WHERE id = $1', [day.id]);
    await client.query('COMMIT');

    // Let the wharf hand know; the booking stands even if the pager is down.
    wharfPager
      .post('/notify', { wharfId, boatName, date })
      .catch((err) => logger.warn({ err, wharfId }, 'wharf pager notify failed'));

    res.status(201).json(rows[0]);
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

router.get('/marinas/:marinaId/boats/:licenceNo/pumpouts', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT b.id, wd.day, b.boat_name, b.created_at
         FROM pumpout_bookings b
         JOIN wharf_days wd ON wd.id = b.wharf_day_id
        WHERE b.marina_id = $1 AND b.licence_no = $2
        ORDER BY wd.day DESC
        LIMIT 20`,
      [Number(req.params.marinaId), req.params.licenceNo]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
