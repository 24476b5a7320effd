// Webhook receiver for the venue-partner platform: it notifies us when a theatre
// confirms, moves or cancels one of the puppet company's touring dates.
// Deliveries are at-least-once, so each event id is recorded before any effect is applied.
const crypto = require('crypto');
const express = require('express');
const { pool } = require('../db');
const logger = require('../logger');

const router = express.Router();
const SECRET = process.env.VENUE_WEBHOOK_SECRET;

function verifySignature(rawBody, header) {
  if (!header) return false;
  const expected = crypto.createHmac('sha256', SECRET).update(rawBody).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(header);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const HANDLERS = {
  'date.confirmed': (db, d) =>
    db.query(
      `UPDATE tour_dates SET status = 'confirmed', fee_pence = $2
        WHERE venue_ref = $1 AND company_id = $3`,
      [d.venueRef, d.feePence, d.companyId]
    ),
  'date.moved': (db, d) =>
    db.query(
      `UPDATE tour_dates SET performance_at = $2, status = 'confirmed'
        WHERE venue_ref = $1 AND company_id = $3`,
      [d.venueRef, d.performanceAt, d.companyId]
    ),
  'date.cancelled': (db, d) =>
    db.query(
      `UPDATE tour_dates SET status = 'cancelled'
        WHERE venue_ref = $1 AND company_id = $2`,
      [d.venueRef, d.companyId]
    ),
};

router.post('/webhooks/venues', express.raw({ type: 'application/json' }), async (req, res) => {
  if (!verifySignature(req.body, req.get('X-Venue-Signature'))) {
    return res.status(401).end();
  }
  const event = JSON.parse(req.body.toString('utf8'));
  const handler = HANDLERS[event.type];
  if (!handler) return res.status(204).end();

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query(
      `INSERT INTO processed_webhook_events (source, event_id, received_at)
       VALUES ('venue-platform', $1, now())
       ON CONFLICT (source, event_id) DO NOTHING
       RETURNING event_id`,
      [event.id]
    );
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      logger.info({ eventId: event.id }, 'duplicate venue webhook ignored');
      return res.status(200).json({ duplicate: true });
    }
    await handler(client, event.data);
    await client.query('COMMIT');
    res.status(200).json({ ok: true });
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, eventId: event.id }, 'venue webhook failed');
    res.status(500).end(); // platform will redeliver
  } finally {
    client.release();
  }
});

module.exports = router;
