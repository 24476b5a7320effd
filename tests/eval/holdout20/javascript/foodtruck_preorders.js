// server.js — pre-orders for the Harbourside food truck collective.
// Customers pick a truck and a 10-minute pickup slot, we text them when it's ready.
// Production: `pm2 start server.js -i 4` on two VMs behind nginx.
const express = require('express');
const axios = require('axios');
const { Pool } = require('pg');

const app = express();
app.use(express.json({ limit: '32kb' }));

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, statement_timeout: 5000 });

const ORDER_WINDOW_MS = 10 * 60 * 1000;
const MAX_ORDERS_PER_WINDOW = 3;
const recentOrdersByPhone = new Map(); // phone -> [timestamps]

function tooManyOrders(phone) {
  const now = Date.now();
  const recent = (recentOrdersByPhone.get(phone) || []).filter((t) => now - t < ORDER_WINDOW_MS);
  if (recent.length >= MAX_ORDERS_PER_WINDOW) {
    recentOrdersByPhone.set(phone, recent);
    return true;
  }
  recent.push(now);
  recentOrdersByPhone.set(phone, recent);
  return false;
}

async function textCustomer(phone, body) {
  const { data } = await axios.post(
    `${process.env.SMS_API}/v2/messages`,
    { to: phone, from: 'FOODTRUCKS', body },
    { headers: { Authorization: `Bearer ${process.env.SMS_TOKEN}` } }
  );
  return data.id;
}

app.post('/trucks/:truckId/preorders', async (req, res, next) => {
  const { truckId } = req.params;
  const { phone, slotId, items } = req.body;

  if (!/^\+\d{8,15}$/.test(phone || '')) return res.status(400).json({ error: 'phone must be E.164' });
  if (!Array.isArray(items) || items.length === 0 || items.length > 20) {
    return res.status(400).json({ error: 'between 1 and 20 items' });
  }
  if (tooManyOrders(phone)) {
    return res.status(429).json({ error: 'you have a few orders in already, try again shortly' });
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const slot = await client.query(
      `UPDATE pickup_slots SET remaining = remaining - 1
        WHERE id = $1 AND truck_id = $2 AND remaining > 0 AND starts_at > now()
        RETURNING starts_at`,
      [slotId, truckId]
    );
    if (slot.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'that pickup slot is full' });
    }

    const order = await client.query(
      `INSERT INTO preorders (truck_id, slot_id, phone, items, status)
       VALUES ($1, $2, $3, $4::jsonb, 'received') RETURNING id`,
      [truckId, slotId, phone, JSON.stringify(items)]
    );
    await client.query('COMMIT');

    const pickupAt = new Date(slot.rows[0].starts_at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    await textCustomer(phone, `Order #${order.rows[0].id} received, pickup from ${pickupAt}.`);

    res.status(201).json({ orderId: order.rows[0].id, pickupAt: slot.rows[0].starts_at });
  } catch (err) {
    await client.query('ROLLBACK').catch((rbErr) => console.error('rollback failed', rbErr));
    next(err);
  } finally {
    client.release();
  }
});

app.listen(process.env.PORT || 3000);
