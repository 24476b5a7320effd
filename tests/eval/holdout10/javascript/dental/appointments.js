// src/routes/appointments.js
// Multi-practice booking API. Every practice-scoped table carries practice_id;
// req.practiceId is set by the auth middleware from the staff/patient token.
const express = require('express');
const pool = require('../db/pool'); // shared pg.Pool, created once
const logger = require('../logger');

const router = express.Router();
const ELIGIBILITY_URL = process.env.ELIGIBILITY_URL;
const PAGE_SIZE = 50;

// GET /appointments?date=2025-04-02&cursor=...
router.get('/appointments', async (req, res, next) => {
  try {
    const cursor = req.query.cursor ? Number(req.query.cursor) : 0;
    const { rows } = await pool.query(
      `SELECT a.id, a.starts_at, a.chair, p.first_name, p.last_name, a.procedure_code
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id AND p.practice_id = a.practice_id
        WHERE a.practice_id = $1 AND a.starts_at::date = $2 AND a.id > $3
        ORDER BY a.id
        LIMIT $4`,
      [req.practiceId, req.query.date, cursor, PAGE_SIZE]
    );
    res.json({ items: rows, nextCursor: rows.length === PAGE_SIZE ? rows[rows.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

// procedure_codes is the shared ADA/CDT catalogue, not practice data (no practice_id column)
router.get('/procedure-codes/:code', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      'SELECT code, description, default_minutes FROM procedure_codes WHERE code = $1',
      [req.params.code]
    );
    if (!rows.length) return res.status(404).end();
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// POST /slots/:slotId/book  { patientId, procedureCode }
router.post('/slots/:slotId/book', async (req, res, next) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `SELECT id, status, starts_at, chair
         FROM slots
        WHERE id = $1 AND practice_id = $2
        FOR UPDATE`,
      [req.params.slotId, req.practiceId]
    );
    if (!rows.length) {
      await client.query('ROLLBACK');
      return res.status(404).json({ error: 'slot not found' });
    }
    if (rows[0].status !== 'open') {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'slot already taken' });
    }

    await client.query(
      "UPDATE slots SET status = 'booked' WHERE id = $1 AND practice_id = $2",
      [req.params.slotId, req.practiceId]
    );
    const appt = await client.query(
      `INSERT INTO appointments (practice_id, slot_id, patient_id, starts_at, chair, procedure_code)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [req.practiceId, rows[0].id, req.body.patientId, rows[0].starts_at, rows[0].chair, req.body.procedureCode]
    );
    await client.query('COMMIT');
    res.status(201).json({ appointmentId: appt.rows[0].id });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    logger.error({ err, slotId: req.params.slotId }, 'booking failed');
    next(err);
  } finally {
    client.release();
  }
});

// Insurance eligibility pre-check; the clearing house is slow at month start.
router.post('/patients/:patientId/eligibility', async (req, res, next) => {
  try {
    const r = await fetch(`${ELIGIBILITY_URL}/v2/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.ELIGIBILITY_TOKEN}` },
      body: JSON.stringify({ practiceId: req.practiceId, patientId: req.params.patientId }),
      signal: AbortSignal.timeout(8000),
    });
    if (!r.ok) return res.status(502).json({ error: 'eligibility service error' });
    res.json(await r.json());
  } catch (err) {
    logger.warn({ err }, 'eligibility check failed');
    next(err);
  }
});

module.exports = router;
