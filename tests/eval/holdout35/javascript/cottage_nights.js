// routes/cottageNights.js
// Lighthouse keeper cottage stays: guests pick a night at one of the
// restored keepers' cottages and reserve it straight from the calendar.
const express = require('express');
const { pool } = require('../db');
const { requireGuest } = require('../middleware/auth');
const mailer = require('../lib/mailer');
const logger = require('../lib/logger');

const router = express.Router();

const MAX_NIGHTS_PER_MONTH = 31;

/**
 * GET /cottages/:cottageId/calendar?month=2025-06
 * Nights offered for one cottage in one month, for the calendar widget.
 */
router.get('/cottages/:cottageId/calendar', async (req, res, next) => {
  const { cottageId } = req.params;
  const month = /^\d{4}-\d{2}$/.test(req.query.month || '') ? req.query.month : null;
  if (!month) return res.status(400).json({ error: 'month must be YYYY-MM' });

  try {
    const { rows } = await pool.query(
      `SELECT night_of, status, price_pence
         FROM cottage_nights
        WHERE cottage_id = $1
          AND night_of >= to_date($2, 'YYYY-MM')
          AND night_of <  to_date($2, 'YYYY-MM') + interval '1 month'
        ORDER BY night_of
        LIMIT $3`,
      [cottageId, month, MAX_NIGHTS_PER_MONTH]
    );
    res.json({ cottageId, month, nights: rows });
  } catch (err) {
    next(err);
  }
});

/**
 * POST /cottages/:cottageId/reservations
 * Body: { nightOf: 'YYYY-MM-DD', partySize: number }
 */
router.post('/cottages/:cottageId/reservations', requireGuest, async (req, res, next) => {
  const { cottageId } = req.params;
  const { nightOf, partySize } = req.body;

  if (!Number.isInteger(partySize) || partySize < 1 || partySize > 6) {
    return res.status(400).json({ error: 'party size must be between 1 and 6' });
  }

  try {
    const night = await pool.query(
      'SELECT id, status, price_pence FROM cottage_nights WHERE cottage_id = $1 AND night_of = $2',
      [cottageId, nightOf]
    );
    if (night.rowCount === 0) {
      return res.status(404).json({ error: 'that night is not offered' });
    }
    if (night.rows[0].status !== 'open') {
      return res.status(409).json({ error: 'that night has already been taken' });
    }

    const { id: nightId, price_pence: pricePence } = night.rows[0];

    await pool.query(
      `UPDATE cottage_nights
          SET status = 'reserved', reserved_by = $1, party_size = $2, reserved_at = now()
        WHERE id = $3`,
      [req.guest.id, partySize, nightId]
    );

    const reservation = {
      nightId,
      cottageId,
      nightOf,
      partySize,
      pricePence,
      guestId: req.guest.id,
    };

    // The confirmation also carries the tide table and the key-safe code.
    try {
      await mailer.sendTemplate('cottage-reserved', req.guest.email, reservation);
    } catch (mailErr) {
      // the keeper can resend confirmations from the admin screen
    }

    logger.info({ nightId, guestId: req.guest.id }, 'cottage night reserved');
    res.status(201).json(reservation);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
