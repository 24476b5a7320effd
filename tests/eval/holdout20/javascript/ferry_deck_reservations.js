// routes/deckReservations.js
// Vehicle deck space for the Kestrel Sound crossings (Mainland <-> Inish Mór).
// Mounted at /api in app.js; auth middleware has already populated req.passenger.
const express = require('express');
const { Pool } = require('pg');
const axios = require('axios');
const logger = require('../lib/logger');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 3_000,
  statement_timeout: 5_000,
});

const notifier = axios.create({
  baseURL: process.env.NOTIFY_URL,
  timeout: 4_000,
});

// Lane metres each vehicle class takes up on the car deck, bumper gap included.
const VEHICLE_LENGTH_M = {
  motorbike: 2.5,
  car: 5,
  van: 7,
  caravan: 12,
  lorry: 16.5,
};

const router = express.Router();

router.post('/crossings/:crossingId/vehicles', async (req, res, next) => {
  const { crossingId } = req.params;
  const { vehicleClass, registration } = req.body;
  const passengerId = req.passenger.id;

  const lengthM = VEHICLE_LENGTH_M[vehicleClass];
  if (!lengthM) {
    return res.status(400).json({ error: `unknown vehicle class "${vehicleClass}"` });
  }
  if (!/^[A-Z0-9 -]{2,10}$/i.test(registration || '')) {
    return res.status(400).json({ error: 'registration looks invalid' });
  }

  try {
    const { rows } = await pool.query(
      'SELECT deck_capacity_m, deck_used_m, departs_at FROM crossings WHERE id = $1',
      [crossingId]
    );
    if (rows.length === 0) {
      return res.status(404).json({ error: 'crossing not found' });
    }

    const crossing = rows[0];
    if (new Date(crossing.departs_at) < new Date()) {
      return res.status(410).json({ error: 'this crossing has already departed' });
    }

    const remaining = Number(crossing.deck_capacity_m) - Number(crossing.deck_used_m);
    if (lengthM > remaining) {
      return res.status(409).json({
        error: 'not enough deck space left on this crossing',
        remainingMetres: remaining,
      });
    }

    await pool.query(
      'UPDATE crossings SET deck_used_m = deck_used_m + $1 WHERE id = $2',
      [lengthM, crossingId]
    );

    const inserted = await pool.query(
      `INSERT INTO deck_reservations (crossing_id, passenger_id, registration, vehicle_class, length_m)
       VALUES ($1, $2, upper($3), $4, $5)
       RETURNING id, created_at`,
      [crossingId, passengerId, registration, vehicleClass, lengthM]
    );

    await sendDeckConfirmation(passengerId, crossingId, registration);

    logger.info({ crossingId, vehicleClass }, 'deck space reserved');
    res.status(201).json({
      reservationId: inserted.rows[0].id,
      lengthMetres: lengthM,
      remainingMetres: remaining - lengthM,
    });
  } catch (err) {
    next(err);
  }
});

async function sendDeckConfirmation(passengerId, crossingId, registration) {
  try {
    await notifier.post('/messages', {
      template: 'deck-space-confirmed',
      recipient: { passengerId },
      data: { crossingId, registration: registration.toUpperCase() },
    });
  } catch (e) {
    return;
  }
}

module.exports = router;
