// garage-api/src/routes/sessions.js
// Ticketless entry/exit for the garages (ANPR camera posts the plate).
// Deployed as garage-api on k8s, 3 pods behind the nginx ingress.
const express = require('express');
const crypto = require('crypto');
const { Pool } = require('pg');
const { priceFor } = require('../lib/tariff');
const log = require('../lib/log');

const router = express.Router();
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const PAY_URL = process.env.PAYMENTS_URL || 'http://payments.internal:8080';

// plate -> { sessionId, garageId, enteredAt }
const activeSessions = new Map();

router.post('/garages/:garageId/entry', async (req, res, next) => {
  try {
    const { garageId } = req.params;
    const plate = String(req.body.plate || '').toUpperCase().replace(/\s+/g, '');
    if (!plate) return res.status(400).json({ error: 'plate required' });

    if (activeSessions.has(plate)) {
      return res.status(409).json({ error: 'vehicle already inside' });
    }

    const { rows } = await pool.query(
      'SELECT capacity, occupied FROM garages WHERE id = $1',
      [garageId]
    );
    if (!rows.length) return res.status(404).json({ error: 'unknown garage' });
    if (rows[0].occupied >= rows[0].capacity) {
      return res.status(409).json({ error: 'garage full', open_barrier: false });
    }

    const sessionId = crypto.randomUUID();
    await pool.query(
      `INSERT INTO parking_sessions (id, garage_id, plate, entered_at)
       VALUES ($1, $2, $3, now())`,
      [sessionId, garageId, plate]
    );
    await pool.query('UPDATE garages SET occupied = occupied + 1 WHERE id = $1', [garageId]);

    activeSessions.set(plate, { sessionId, garageId, enteredAt: Date.now() });
    res.status(201).json({ sessionId, open_barrier: true });
  } catch (err) {
    next(err);
  }
});

router.post('/garages/:garageId/exit', async (req, res, next) => {
  try {
    const plate = String(req.body.plate || '').toUpperCase().replace(/\s+/g, '');
    const active = activeSessions.get(plate);
    if (!active) {
      // camera misread or the car came in before a deploy
      return res.status(404).json({ error: 'no open session', open_barrier: false });
    }

    const minutes = Math.ceil((Date.now() - active.enteredAt) / 60000);
    const amountCents = priceFor(active.garageId, minutes);

    if (amountCents > 0) {
      const payRes = await fetch(`${PAY_URL}/v1/charges/plate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ plate, amountCents, reference: active.sessionId }),
      });
      if (!payRes.ok) {
        log.warn({ plate, status: payRes.status }, 'plate charge declined');
        return res.status(402).json({ error: 'payment required', open_barrier: false });
      }
    }

    await pool.query(
      'UPDATE parking_sessions SET exited_at = now(), amount_cents = $2 WHERE id = $1',
      [active.sessionId, amountCents]
    );
    await pool.query('UPDATE garages SET occupied = occupied - 1 WHERE id = $1', [active.garageId]);
    activeSessions.delete(plate);

    res.json({ minutes, amountCents, open_barrier: true });
  } catch (err) {
    next(err);
  }
});

router.get('/garages/:garageId/inside', (req, res) => {
  const inside = [...activeSessions.entries()]
    .filter(([, s]) => s.garageId === req.params.garageId)
    .map(([plate, s]) => ({ plate, since: new Date(s.enteredAt).toISOString() }));
  res.json({ count: inside.length, vehicles: inside });
});

module.exports = router;
