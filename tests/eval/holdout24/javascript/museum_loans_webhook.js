// routes/loanAgreementWebhook.js
// The registrar's e-signature provider calls us when a lender signs (or voids) an
// object loan agreement. Deliveries are at-least-once and may arrive out of order.
const crypto = require('crypto');
const express = require('express');
const { pool } = require('../db'); // pg.Pool({ max: 10, statement_timeout: 5000 })
const logger = require('../logger');

const router = express.Router();
const SIGNING_SECRET = process.env.ESIGN_WEBHOOK_SECRET;

function verifySignature(rawBody, header) {
  if (!header) return false;
  const expected = crypto.createHmac('sha256', SIGNING_SECRET).update(rawBody).digest('hex');
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(String(header), 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const STATUS_FOR_EVENT = {
  'envelope.completed': 'agreement_signed',
  'envelope.voided': 'agreement_voided',
};

router.post('/webhooks/esign', express.raw({ type: 'application/json', limit: '256kb' }), async (req, res, next) => {
  if (!verifySignature(req.body, req.get('x-esign-signature'))) {
    return res.status(401).end();
  }
  let event;
  try {
    event = JSON.parse(req.body.toString('utf8'));
  } catch (parseErr) {
    logger.warn({ err: parseErr.message }, 'esign webhook body is not JSON');
    return res.status(400).end();
  }
  const newStatus = STATUS_FOR_EVENT[event.type];
  if (!newStatus) return res.status(204).end();

  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const inserted = await client.query(
      `INSERT INTO processed_webhook_events (provider, event_id, received_at)
       VALUES ('esign', $1, now())
       ON CONFLICT (provider, event_id) DO NOTHING`,
      [event.id],
    );
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(200).json({ duplicate: true });
    }

    // Only move forward: an older "completed" delivered after "voided" is ignored.
    await client.query(
      `UPDATE object_loans
          SET status = $1, status_changed_at = $2
        WHERE envelope_id = $3
          AND (status_changed_at IS NULL OR status_changed_at < $2)`,
      [newStatus, event.occurred_at, event.data.envelope_id],
    );
    await client.query(
      `INSERT INTO loan_audit_log (envelope_id, event_id, action, at)
       VALUES ($1, $2, $3, $4)`,
      [event.data.envelope_id, event.id, newStatus, event.occurred_at],
    );

    await client.query('COMMIT');
    res.status(200).json({ ok: true });
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr) =>
      logger.error({ rollbackErr }, 'rollback failed'),
    );
    logger.error({ err, eventId: event.id }, 'esign webhook processing failed');
    next(err);
  } finally {
    client.release();
  }
});

module.exports = router;
