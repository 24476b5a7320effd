// Seed bank: courier status webhooks.
// ParcelHop posts a JSON event whenever a seed parcel changes state. We mark the
// request as delivered, credit the member's "packets received" count, and ping the
// volunteers' chat so someone can send the growing-notes email.
const crypto = require('crypto');
const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 5000,
  statement_timeout: 8000,
});

const router = express.Router();

function verifySignature(rawBody, header) {
  if (!header) return false;
  const expected = crypto
    .createHmac('sha256', process.env.PARCELHOP_SECRET)
    .update(rawBody)
    .digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(header);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

async function notifyVolunteers(text) {
  const res = await fetch(process.env.VOLUNTEER_CHAT_WEBHOOK, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  if (!res.ok) {
    console.error('volunteer chat webhook failed', res.status);
  }
}

router.post(
  '/webhooks/parcelhop',
  express.raw({ type: 'application/json' }),
  async function handleParcelHopEvent(req, res, next) {
    if (!verifySignature(req.body, req.get('x-parcelhop-signature'))) {
      return res.status(401).end();
    }

    const event = JSON.parse(req.body.toString('utf8'));
    if (event.type !== 'parcel.delivered') {
      return res.status(204).end();
    }

    const requestId = event.data.reference; // we send our seed_requests.id as the reference
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `UPDATE seed_requests
            SET status = 'delivered', delivered_at = $2
          WHERE id = $1
          RETURNING member_id, variety_name`,
        [requestId, event.data.delivered_at]
      );
      if (rows.length === 0) {
        await client.query('ROLLBACK');
        return res.status(404).json({ error: 'unknown reference' });
      }
      await client.query(
        'UPDATE members SET packets_received = packets_received + 1 WHERE id = $1',
        [rows[0].member_id]
      );
      await client.query(
        `INSERT INTO parcel_events (seed_request_id, courier_event_id, kind, payload)
         VALUES ($1, $2, 'delivered', $3)`,
        [requestId, event.id, event]
      );
      await client.query('COMMIT');

      await notifyVolunteers(
        `Seed parcel #${requestId} (${rows[0].variety_name}) delivered — please send growing notes.`
      );
      res.status(200).json({ received: true });
    } catch (err) {
      await client.query('ROLLBACK');
      next(err);
    } finally {
      client.release();
    }
  }
);

module.exports = router;
