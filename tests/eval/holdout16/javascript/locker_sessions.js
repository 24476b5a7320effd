// laundromat-lockers/api/index.js
// Customers pay with app credits to open a smart locker for drop-off / pickup.
// fly.toml: [processes] app = "node api/index.js", min_machines_running = 3
const express = require('express');
const crypto = require('crypto');
const { Pool } = require('pg');
const lockerHw = require('./lockerHw'); // talks to the locker controller over MQTT

const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 4000 });
const app = express();
app.use(express.json());

// price list is static config, read once at boot
const PRICES = Object.freeze(require('../config/prices.json')); // { small: 3, medium: 4, large: 6 }

// open unlock sessions: token -> { lockerId, userId, expires }
const unlockSessions = new Map();

app.post('/lockers/:lockerId/rent', async (req, res, next) => {
  const userId = req.user.id;
  const lockerId = req.params.lockerId;
  try {
    const { rows: [locker] } = await pool.query('SELECT id, size, location_id FROM lockers WHERE id = $1', [lockerId]);
    if (!locker) return res.sendStatus(404);
    const price = PRICES[locker.size];

    const { rows: [wallet] } = await pool.query('SELECT credits FROM wallets WHERE user_id = $1', [userId]);
    if (!wallet || wallet.credits < price) return res.status(402).json({ error: 'not enough credits' });

    const remaining = wallet.credits - price;
    await pool.query('UPDATE wallets SET credits = $1, updated_at = now() WHERE user_id = $2', [remaining, userId]);
    await pool.query(
      'INSERT INTO locker_rentals (locker_id, user_id, price, started_at) VALUES ($1, $2, $3, now())',
      [lockerId, userId, price]
    );

    const token = crypto.randomBytes(16).toString('hex');
    unlockSessions.set(token, { lockerId, userId, expires: Date.now() + 5 * 60_000 });
    res.status(201).json({ unlockToken: token, credits: remaining });
  } catch (err) {
    next(err);
  }
});

// the customer taps "open" at the locker a minute later
app.post('/lockers/:lockerId/open', async (req, res, next) => {
  const s = unlockSessions.get(req.body.unlockToken);
  if (!s || s.lockerId !== req.params.lockerId || s.userId !== req.user.id || s.expires < Date.now()) {
    return res.status(403).json({ error: 'invalid or expired unlock token' });
  }
  try {
    await lockerHw.open(s.lockerId);
    unlockSessions.delete(req.body.unlockToken);
    res.json({ opened: true });
  } catch (err) {
    next(err);
  }
});

app.get('/prices', (req, res) => res.json(PRICES));

app.listen(process.env.PORT || 8080);
