// Agricultural show: webhook from the ShowEntries platform.
// `entry.paid` arrives once an exhibitor has paid for a class; we allocate
// the next free pen in that class's section of the livestock lines.
// ShowEntries redelivers on any non-2xx and sometimes twice on success, so
// each event id is recorded in the same transaction as the allocation.

const crypto = require('crypto');
const express = require('express');
const { pool } = require('../db');
const logger = require('../logger');

const router = express.Router();

function validSignature(raw, signature) {
  const digest = crypto.createHmac('sha256', process.env.SHOWENTRIES_SECRET).update(raw).digest('base64');
  return (
    typeof signature === 'string' &&
    signature.length === digest.length &&
    crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(digest))
  );
}

router.post('/webhooks/showentries', express.raw({ type: 'application/json' }), async (req, res) => {
  if (!validSignature(req.body, req.get('X-ShowEntries-Signature'))) {
    return res.status(401).end();
  }
  const event = JSON.parse(req.body.toString('utf8'));
  if (event.type !== 'entry.paid') return res.status(204).end();

  const { entryId, section, species } = event.data;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const seen = await client.query(
      `INSERT INTO processed_webhooks (provider, event_id, received_at)
       VALUES ('showentries', $1, now())
       ON CONFLICT (provider, event_id) DO NOTHING`,
      [event.id]
    );
    if (seen.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(200).json({ duplicate: true });
    }

    const pen = await client.query(
      `UPDATE pens SET entry_id = $1, allocated_at = now()
        WHERE id = (SELECT id FROM pens
                     WHERE section = $2 AND species = $3 AND entry_id IS NULL
                     ORDER BY pen_no
                     LIMIT 1
                     FOR UPDATE SKIP LOCKED)
        RETURNING pen_no`,
      [entryId, section, species]
    );

    if (pen.rowCount === 0) {
      // Section full: park the entry on the steward's overflow list.
      await client.query(
        `INSERT INTO pen_overflow (entry_id, section, species, queued_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (entry_id) DO NOTHING`,
        [entryId, section, species]
      );
    }

    await client.query('COMMIT');
    return res.status(200).json({ penNo: pen.rows[0]?.pen_no ?? null });
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, eventId: event.id }, 'showentries webhook failed');
    // Non-2xx so ShowEntries redelivers; the dedupe row was rolled back too.
    return res.status(500).end();
  } finally {
    client.release();
  }
});

module.exports = router;
