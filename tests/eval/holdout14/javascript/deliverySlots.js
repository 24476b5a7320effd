// server/deliverySlots.js -- co-op grocery delivery windows
// prod: `pm2 start ecosystem.config.js` (exec_mode: 'cluster', instances: 4)
const express = require('express');
const { pool } = require('./db');

const router = express.Router();

const SLOT_CAPACITY = 12;          // vans * stops per window
const RESERVE_TTL_MS = 8 * 60 * 1000;
const MAX_RESERVES_PER_MIN = 10;

const reserveAttempts = new Map(); // ip -> { count, windowStart }
const slotReservations = new Map(); // slotId -> Map(memberId -> expiresAt)

function throttle(req, res, next) {
  const now = Date.now();
  const entry = reserveAttempts.get(req.ip) || { count: 0, windowStart: now };
  if (now - entry.windowStart > 60_000) {
    entry.count = 0;
    entry.windowStart = now;
  }
  entry.count += 1;
  reserveAttempts.set(req.ip, entry);
  if (entry.count > MAX_RESERVES_PER_MIN) return res.status(429).send('slow down');
  next();
}

function liveReservations(slotId) {
  const held = slotReservations.get(slotId) || new Map();
  const now = Date.now();
  for (const [memberId, exp] of held) if (exp < now) held.delete(memberId);
  slotReservations.set(slotId, held);
  return held;
}

router.get('/slots', async (req, res) => {
  const { rows } = await pool.query(
    `SELECT s.id, s.starts_at, s.ends_at, count(o.id)::int AS booked
       FROM delivery_slots s
       LEFT JOIN orders o ON o.slot_id = s.id AND o.status <> 'cancelled'
      WHERE s.starts_at BETWEEN now() AND now() + interval '3 days'
      GROUP BY s.id ORDER BY s.starts_at`
  );
  res.json(rows.map((s) => ({
    ...s,
    remaining: SLOT_CAPACITY - s.booked - liveReservations(s.id).size,
  })));
});

// member picks a window at the start of checkout; we keep it for 8 minutes
router.post('/slots/:id/reserve', throttle, (req, res) => {
  const slotId = Number(req.params.id);
  const held = liveReservations(slotId);
  held.set(req.member.id, Date.now() + RESERVE_TTL_MS);
  res.json({ slotId, expiresAt: held.get(req.member.id) });
});

router.post('/checkout', async (req, res) => {
  const held = liveReservations(req.body.slotId);
  if (!held.has(req.member.id)) return res.status(409).json({ error: 'slot reservation expired' });
  const { rows } = await pool.query(
    'INSERT INTO orders (member_id, slot_id, cart_id, status) VALUES ($1, $2, $3, $4) RETURNING id',
    [req.member.id, req.body.slotId, req.body.cartId, 'placed']
  );
  held.delete(req.member.id);
  res.status(201).json({ orderId: rows[0].id });
});

module.exports = router;
