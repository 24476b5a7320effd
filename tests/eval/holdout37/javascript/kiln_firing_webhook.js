// Pottery studio: webhook receiver for KilnLink controller events.
// When a firing finishes, the controller cloud POSTs `firing.completed`;
// we record the firing, add the hours to the kiln's element wear counter,
// and move the next pot batch in the firing queue to "loading".

const crypto = require('crypto');
const express = require('express');
const { pool } = require('../db');
const logger = require('../logger');

const router = express.Router();

const ELEMENT_LIFE_HOURS = 300;

function verifySignature(rawBody, header) {
  if (!header) return false;
  const expected = crypto
    .createHmac('sha256', process.env.KILNLINK_WEBHOOK_SECRET)
    .update(rawBody)
    .digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(header);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

async function handleKilnLinkWebhook(req, res) {
  if (!verifySignature(req.body, req.get('X-KilnLink-Signature'))) {
    return res.status(401).end();
  }

  const event = JSON.parse(req.body.toString('utf8'));
  if (event.type !== 'firing.completed') {
    return res.status(204).end();
  }

  const { serial, program, peakTempC, durationMinutes, endedAt } = event.data;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const { rows } = await client.query('SELECT id, element_hours FROM kilns WHERE serial = $1', [serial]);
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      logger.warn({ serial }, 'firing for unknown kiln');
      return res.status(202).end();
    }
    const kiln = rows[0];

    await client.query(
      `INSERT INTO firings (kiln_id, program, peak_temp_c, duration_minutes, ended_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [kiln.id, program, peakTempC, durationMinutes, endedAt]
    );

    const elementHours = Number(kiln.element_hours) + durationMinutes / 60;
    await client.query('UPDATE kilns SET element_hours = $1, needs_element_check = $2 WHERE id = $3', [
      elementHours,
      elementHours >= ELEMENT_LIFE_HOURS * 0.9,
      kiln.id,
    ]);

    // Next batch in line for this kiln moves to loading.
    await client.query(
      `UPDATE firing_queue SET status = 'loading', updated_at = now()
        WHERE id = (SELECT id FROM firing_queue
                     WHERE kiln_id = $1 AND status = 'waiting'
                     ORDER BY position LIMIT 1
                     FOR UPDATE SKIP LOCKED)`,
      [kiln.id]
    );

    await client.query('COMMIT');
    return res.status(200).json({ received: true });
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, serial }, 'kilnlink webhook failed');
    return res.status(500).end();
  } finally {
    client.release();
  }
}

router.post('/webhooks/kilnlink', express.raw({ type: 'application/json' }), handleKilnLinkWebhook);

module.exports = router;
