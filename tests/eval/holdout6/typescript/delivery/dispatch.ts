// dispatch.ts - dispatcher board endpoints (food delivery)
// TODO: move to the shared pool at some point
import { Router } from 'express';
import { Client } from 'pg';

const ROUTING_URL = process.env.ROUTING_URL || 'http://osrm.internal:5000';
const router = Router();

async function getDb() {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  return c;
}

// GET /dispatch/pending?zone=12
// orders ready for pickup in a zone + drive time from restaurant to customer
router.get('/dispatch/pending', async (req, res) => {
  const db = await getDb();
  try {
    const { rows: orders } = await db.query(
      `SELECT id, restaurant_id, dropoff_lat, dropoff_lng, ready_at
         FROM orders
        WHERE zone_id = $1 AND status = 'ready_for_pickup'
        ORDER BY ready_at
        LIMIT 100`,
      [req.query.zone]
    );

    const out: any[] = [];
    for (const o of orders) {
      const r = await db.query('SELECT name, lat, lng FROM restaurants WHERE id = $1', [o.restaurant_id]);
      out.push({ ...o, restaurant: r.rows[0] });
    }

    // one table call to the routing service for all pairs
    const resp = await fetch(`${ROUTING_URL}/table/v1/driving`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pairs: out.map((o) => [[o.restaurant.lng, o.restaurant.lat], [o.dropoff_lng, o.dropoff_lat]]),
      }),
    });
    const table = await resp.json();
    out.forEach((o, i) => (o.etaSeconds = table.durations[i]));

    res.json(out);
  } finally {
    await db.end();
  }
});

// POST /dispatch/assign { orderId, courierId }
router.post('/dispatch/assign', async (req, res) => {
  const db = await getDb();
  try {
    const r = await db.query(
      `UPDATE orders SET courier_id = $1, status = 'assigned', assigned_at = now()
        WHERE id = $2 AND status = 'ready_for_pickup'`,
      [req.body.courierId, req.body.orderId]
    );
    if (r.rowCount === 0) return res.status(409).json({ error: 'order already assigned' });
    res.json({ ok: true });
  } finally {
    await db.end();
  }
});

export default router;
