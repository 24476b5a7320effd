// server/stalls.js -- farmers-market app: stall listings + a shopper's saved stalls
// Runs as 2 instances behind nginx; sessions and caches live in the shared Redis.
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');
const { requireShopper } = require('./auth');

const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 1000, maxRetriesPerRequest: 2 });
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  statement_timeout: 5000,
  connectionTimeoutMillis: 3000,
});

// Produce categories are a fixed reference list (14 rows). Loaded once when the process
// boots and only read afterwards.
const CATEGORIES = new Map();
async function loadCategories() {
  const { rows } = await pool.query('SELECT slug, label, icon FROM produce_categories ORDER BY sort_order');
  for (const row of rows) CATEGORIES.set(row.slug, row);
}

const router = express.Router();

// GET /markets/:marketId/stalls?page=2  -- public, paginated
router.get('/markets/:marketId/stalls', async (req, res, next) => {
  const pageSize = 40;
  const page = Math.max(1, parseInt(req.query.page, 10) || 1);
  try {
    const { rows } = await pool.query(
      `SELECT id, stall_number, vendor_name, category_slug
         FROM stalls
        WHERE market_id = $1 AND active
        ORDER BY stall_number
        LIMIT $2 OFFSET $3`,
      [req.params.marketId, pageSize, (page - 1) * pageSize]
    );
    res.json(rows.map((s) => ({ ...s, category: CATEGORIES.get(s.category_slug) || null })));
  } catch (err) {
    next(err);
  }
});

// GET /me/favorites  -- the signed-in shopper's own saved stalls (different for every shopper)
router.get('/me/favorites', requireShopper, async (req, res, next) => {
  const key = `favstalls:v2:${req.user.id}`;
  try {
    const cached = await redis.get(key);
    if (cached) return res.type('json').send(cached);

    const { rows } = await pool.query(
      `SELECT s.id, s.stall_number, s.vendor_name, s.market_id
         FROM favorite_stalls f JOIN stalls s ON s.id = f.stall_id
        WHERE f.shopper_id = $1
        ORDER BY f.created_at DESC
        LIMIT 200`,
      [req.user.id]
    );
    const body = JSON.stringify(rows);
    await redis.set(key, body, 'EX', 300);
    res.type('json').send(body);
  } catch (err) {
    next(err);
  }
});

// POST /me/favorites/:stallId
router.post('/me/favorites/:stallId', requireShopper, async (req, res, next) => {
  try {
    await pool.query(
      'INSERT INTO favorite_stalls (shopper_id, stall_id) VALUES ($1, $2) ON CONFLICT (shopper_id, stall_id) DO NOTHING',
      [req.user.id, req.params.stallId]
    );
    await redis.del(`favstalls:v2:${req.user.id}`);
    res.sendStatus(204);
  } catch (err) {
    next(err);
  }
});

module.exports = { router, loadCategories };
