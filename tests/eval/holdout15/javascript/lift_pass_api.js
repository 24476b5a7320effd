// lift-pass-api/src/routes/passes.js
// Express router for ride-credit passes (ticket windows, kiosks and the gate readers).
// Deployed on the resort k8s cluster: 3 pods behind the ALB, one shared Postgres.

const express = require('express');
const { Pool } = require('pg');
const log = require('../lib/logger');

const router = express.Router();

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  statement_timeout: 5000,
});

const GATE_API = process.env.AXESS_GATE_URL; // RFID gate vendor

// gates keep a local copy of the credit count, so push every change
async function pushToGates(passId, rideCredits) {
  const res = await fetch(`${GATE_API}/v2/media/${passId}/credits`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-api-key': process.env.AXESS_KEY },
    body: JSON.stringify({ credits: rideCredits }),
  });
  if (!res.ok) {
    throw new Error(`gate sync failed: ${res.status}`);
  }
}

async function applyRideCredits(passId, delta) {
  const { rows } = await pool.query(
    'SELECT ride_credits FROM lift_passes WHERE id = $1',
    [passId]
  );
  if (rows.length === 0) return null;

  const next = rows[0].ride_credits + delta;
  if (next < 0) {
    const err = new Error('no rides left on this pass');
    err.status = 409;
    throw err;
  }
  await pool.query(
    'UPDATE lift_passes SET ride_credits = $1, updated_at = now() WHERE id = $2',
    [next, passId]
  );
  return next;
}

router.get('/passes/:id', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT id, holder_name, pass_type, ride_credits, valid_from, valid_to
         FROM lift_passes WHERE id = $1`,
      [req.params.id]
    );
    if (!rows.length) return res.status(404).json({ error: 'not found' });
    res.json(rows[0]);
  } catch (e) {
    next(e);
  }
});

// kiosk top-up: guest buys a 5/10/20 ride bundle (payment already captured upstream)
router.post('/passes/:id/reload', async (req, res, next) => {
  const credits = Number(req.body.credits);
  if (!Number.isInteger(credits) || credits <= 0 || credits > 50) {
    return res.status(400).json({ error: 'credits must be 1..50' });
  }
  try {
    const balance = await applyRideCredits(req.params.id, credits);
    if (balance === null) return res.status(404).json({ error: 'not found' });
    await pushToGates(req.params.id, balance);
    res.json({ rideCredits: balance });
  } catch (e) {
    next(e);
  }
});

// gate reader scan -> consume one ride
router.post('/passes/:id/scan', async (req, res, next) => {
  try {
    const balance = await applyRideCredits(req.params.id, -1);
    if (balance === null) return res.status(404).json({ error: 'unknown media' });
    log.info({ passId: req.params.id, lift: req.body.liftId, balance }, 'ride consumed');
    res.json({ open: true, rideCredits: balance });
  } catch (e) {
    if (e.status === 409) return res.status(409).json({ open: false, reason: e.message });
    next(e);
  }
});

module.exports = router;
