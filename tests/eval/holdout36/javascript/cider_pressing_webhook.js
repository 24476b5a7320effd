// Community orchard cider pressings: members pay a deposit for a slot on the shared press.
// The card processor calls this webhook when a deposit payment settles.
const crypto = require('crypto');
const express = require('express');
const axios = require('axios');
const { pool } = require('../db/pool');
const logger = require('../lib/logger');

const router = express.Router();
const WEBHOOK_SECRET = process.env.PAYMENTS_WEBHOOK_SECRET;
const SMS_GATEWAY_URL = process.env.SMS_GATEWAY_URL;

function verifySignature(rawBody, header) {
  if (!header) return false;
  const expected = crypto.createHmac('sha256', WEBHOOK_SECRET).update(rawBody).digest('hex');
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(header, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

router.post('/webhooks/payments', express.raw({ type: 'application/json' }), async (req, res) => {
  if (!verifySignature(req.body, req.get('X-Signature'))) {
    return res.status(401).json({ error: 'bad signature' });
  }

  const event = JSON.parse(req.body.toString('utf8'));
  if (event.type !== 'payment.settled') {
    return res.status(200).json({ ignored: event.type });
  }

  const { reference, amount_pence: amountPence } = event.data;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const { rows } = await client.query(
      `UPDATE pressing_bookings
          SET deposit_paid_pence = deposit_paid_pence + $2,
              status = CASE WHEN deposit_paid_pence + $2 >= deposit_due_pence THEN 'confirmed' ELSE status END
        WHERE payment_reference = $1
        RETURNING id, orchard_id, member_id, litres_requested, status`,
      [reference, amountPence]
    );
    const booking = rows[0];
    if (!booking) {
      await client.query('ROLLBACK');
      logger.warn({ reference }, 'settled payment for unknown pressing booking');
      return res.status(200).json({ ok: true });
    }

    // Ledger line for the orchard treasurer's monthly reconciliation.
    await client.query(
      `INSERT INTO orchard_ledger (orchard_id, booking_id, kind, amount_pence, recorded_at)
       VALUES ($1, $2, 'deposit', $3, now())`,
      [booking.orchard_id, booking.id, amountPence]
    );
    await client.query('COMMIT');

    if (booking.status === 'confirmed') {
      const { rows: memberRows } = await pool.query('SELECT phone, first_name FROM members WHERE id = $1', [
        booking.member_id,
      ]);
      const member = memberRows[0];
      if (member && member.phone) {
        await axios.post(SMS_GATEWAY_URL, {
          to: member.phone,
          body: `Hi ${member.first_name}, your pressing slot for ${booking.litres_requested}L is confirmed. Bring clean containers!`,
        });
      }
    }

    res.status(200).json({ ok: true });
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, reference }, 'payment webhook failed');
    res.status(500).json({ error: 'internal error' });
  } finally {
    client.release();
  }
});

module.exports = router;
