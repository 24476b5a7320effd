// webhooks/fridgeshare.js
// Receiver for the FridgeShare donor app. When a donor scans the QR code on a
// community fridge and confirms a drop-off, FridgeShare POSTs the event here.
// FridgeShare re-sends an event until it gets a 2xx (up to 24 h).
const crypto = require('crypto');
const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, statement_timeout: 5000 });
const router = express.Router();
const SECRET = process.env.FRIDGESHARE_WEBHOOK_SECRET;
const LOW_STOCK_THRESHOLD = 5;

function verifySignature(rawBody, header) {
  if (!header || !SECRET) return false;
  const expected = crypto.createHmac('sha256', SECRET).update(rawBody).digest('hex');
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(header, 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function countItems(items) {
  return (items || []).reduce((n, it) => n + Math.max(1, Number(it.quantity) || 1), 0);
}

router.post('/webhooks/fridgeshare', express.raw({ type: 'application/json', limit: '32kb' }), async (req, res) => {
  if (!verifySignature(req.body, req.get('X-FridgeShare-Signature'))) {
    return res.status(401).end();
  }

  const event = JSON.parse(req.body.toString('utf8'));
  if (event.type !== 'dropoff.confirmed') {
    return res.status(204).end();
  }

  const { fridgeId, donorId, items } = event.data;
  const itemCount = countItems(items);

  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const { rows } = await client.query('SELECT shelf_count FROM fridges WHERE id = $1', [fridgeId]);
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      return res.status(404).json({ error: 'unknown fridge' });
    }
    const newCount = rows[0].shelf_count + itemCount;

    await client.query(
      'UPDATE fridges SET shelf_count = $1, last_restocked_at = now() WHERE id = $2',
      [newCount, fridgeId],
    );
    await client.query(
      `INSERT INTO donations (fridge_id, donor_id, item_count, categories, received_at)
       VALUES ($1, $2, $3, $4, now())`,
      [fridgeId, donorId, itemCount, (items || []).map((it) => it.category)],
    );
    await client.query(
      'UPDATE donors SET karma_points = karma_points + $1, last_donation_at = now() WHERE id = $2',
      [itemCount, donorId],
    );

    await client.query('COMMIT');

    if (rows[0].shelf_count < LOW_STOCK_THRESHOLD && newCount >= LOW_STOCK_THRESHOLD) {
      req.app.emit('fridge:restocked', { fridgeId, newCount });
    }
  } catch (err) {
    await client.query('ROLLBACK');
    console.error('fridgeshare webhook failed', { eventId: event.id, err });
    return res.status(500).end();
  } finally {
    client.release();
  }

  res.status(200).json({ ok: true });
});

module.exports = router;
