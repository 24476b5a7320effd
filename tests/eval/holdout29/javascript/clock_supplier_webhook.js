// Webhook receiver for Horological Supplies Ltd. They POST an event whenever a parts
// shipment for one of our church clock restorations changes state.
//   event: { id, type: "shipment.delivered" | "shipment.delayed", data: { jobRef, lines: [...] } }

const crypto = require('node:crypto');
const express = require('express');
const axios = require('axios');
const { pool } = require('../db');

const router = express.Router();

const workshopPager = axios.create({
  baseURL: process.env.WORKSHOP_PAGER_URL,
  timeout: 4000,
  headers: { authorization: `Bearer ${process.env.WORKSHOP_PAGER_TOKEN}` },
});

function verifySignature(rawBody, header) {
  const expected = crypto
    .createHmac('sha256', process.env.SUPPLIER_WEBHOOK_SECRET)
    .update(rawBody)
    .digest('hex');
  const given = Buffer.from(header || '', 'utf8');
  const want = Buffer.from(expected, 'utf8');
  return given.length === want.length && crypto.timingSafeEqual(given, want);
}

async function notifyClocksmith(jobRef, message) {
  let lastErr;
  for (let attempt = 1; attempt <= 6; attempt++) {
    try {
      await workshopPager.post('/messages', { jobRef, message });
      return;
    } catch (err) {
      lastErr = err;
      console.warn(`pager attempt ${attempt} failed for ${jobRef}: ${err.message}`);
    }
  }
  throw lastErr;
}

router.post(
  '/webhooks/horological-supplies',
  express.raw({ type: 'application/json' }),
  async function handleSupplierEvent(req, res, next) {
    if (!verifySignature(req.body, req.get('x-hs-signature'))) {
      return res.status(401).end();
    }
    const event = JSON.parse(req.body.toString('utf8'));

    if (event.type !== 'shipment.delivered') {
      return res.status(200).json({ ignored: event.type });
    }

    const { jobRef, lines } = event.data;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE clock_parts_stock s
            SET qty_on_hand = s.qty_on_hand + v.qty
           FROM unnest($1::text[], $2::int[]) AS v(part_code, qty)
          WHERE s.part_code = v.part_code`,
        [lines.map((l) => l.partCode), lines.map((l) => l.quantity)]
      );
      await client.query(
        `INSERT INTO parts_receipts (job_ref, supplier_event_id, line_count, received_at)
         VALUES ($1, $2, $3, now())`,
        [jobRef, event.id, lines.length]
      );
      await client.query(
        `UPDATE restoration_jobs SET status = 'parts_in', parts_in_at = now() WHERE job_ref = $1`,
        [jobRef]
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      return next(err);
    } finally {
      client.release();
    }

    try {
      await notifyClocksmith(jobRef, `${lines.length} part line(s) delivered for ${jobRef}`);
    } catch (err) {
      console.error('could not page workshop', { jobRef, err: err.message });
    }

    res.status(200).json({ received: true });
  }
);

module.exports = router;
