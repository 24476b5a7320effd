// Village hall piano tuning: the tuners' booking platform calls us when a tuner confirms,
// reschedules or cancels a visit. The platform retries any delivery that does not get a 2xx
// within 10 s, so the same event id can arrive more than once.
const crypto = require('crypto');
const express = require('express');
const { pool } = require('./db'); // shared pg.Pool, max 10
const logger = require('./logger');

const router = express.Router();

function validSignature(rawBody, header, secret) {
  if (!header) return false;
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest('hex');
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const handlers = {
  async 'visit.confirmed'(client, data) {
    await client.query(
      `UPDATE piano_tunings
          SET status = 'confirmed', tuner_name = $2, visit_at = $3
        WHERE platform_visit_id = $1 AND hall_id = $4`,
      [data.visitId, data.tunerName, data.visitAt, data.hallRef]
    );
  },
  async 'visit.rescheduled'(client, data) {
    await client.query(
      `UPDATE piano_tunings SET visit_at = $2 WHERE platform_visit_id = $1 AND hall_id = $3`,
      [data.visitId, data.visitAt, data.hallRef]
    );
  },
  async 'visit.cancelled'(client, data) {
    await client.query(
      `UPDATE piano_tunings SET status = 'cancelled' WHERE platform_visit_id = $1 AND hall_id = $2`,
      [data.visitId, data.hallRef]
    );
  },
};

router.post(
  '/webhooks/tuning-platform',
  express.raw({ type: 'application/json', limit: '64kb' }),
  async (req, res) => {
    if (!validSignature(req.body, req.get('X-Tuning-Signature'), process.env.TUNING_WEBHOOK_SECRET)) {
      return res.status(401).end();
    }
    const event = JSON.parse(req.body.toString('utf8'));
    const handler = handlers[event.type];
    if (!handler) return res.status(204).end();

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Record the event id first; a replay hits the primary key and we stop here.
      const inserted = await client.query(
        `INSERT INTO processed_webhook_events (provider, event_id, received_at)
         VALUES ('tuning-platform', $1, now())
         ON CONFLICT (provider, event_id) DO NOTHING
         RETURNING event_id`,
        [event.id]
      );
      if (inserted.rowCount === 0) {
        await client.query('ROLLBACK');
        return res.status(200).json({ duplicate: true });
      }

      await handler(client, event.data);
      await client.query('COMMIT');
      return res.status(200).json({ received: true });
    } catch (err) {
      await client.query('ROLLBACK');
      logger.error({ err, eventId: event.id, type: event.type }, 'tuning webhook failed');
      // Non-2xx so the platform redelivers; the event row was rolled back with everything else.
      return res.status(500).end();
    } finally {
      client.release();
    }
  }
);

module.exports = router;
