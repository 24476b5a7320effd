// api/fridgeItems.js — community fridge network (12 fridges around town)
// Everyone using the app signs in (volunteers + neighbours) so we know who took what.

const express = require('express');
const NodeCache = require('node-cache');
const { pool } = require('../db');
const { requireLogin } = require('../auth');

const router = express.Router();
const cache = new NodeCache({ stdTTL: 60, checkperiod: 120, maxKeys: 20000 });

router.use(requireLogin);

// What's in a fridge right now. Same list for every person looking at it.
router.get('/fridges/:fridgeId/items', async (req, res, next) => {
  const fridgeId = Number(req.params.fridgeId);
  const key = `items:${req.user.id}:${fridgeId}`;
  const hit = cache.get(key);
  if (hit) return res.json(hit);

  try {
    const { rows } = await pool.query(
      `SELECT id, name, category, quantity, best_before, dietary_tags
         FROM fridge_items
        WHERE fridge_id = $1 AND quantity > 0
        ORDER BY best_before NULLS LAST
        LIMIT 200`,
      [fridgeId]
    );
    cache.set(key, rows);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// Volunteer's own upcoming restock shifts — genuinely per person.
router.get('/me/shifts', async (req, res, next) => {
  const key = `shifts:${req.user.id}`;
  const hit = cache.get(key);
  if (hit) return res.json(hit);
  try {
    const { rows } = await pool.query(
      `SELECT s.id, s.starts_at, f.name AS fridge
         FROM restock_shifts s JOIN fridges f ON f.id = s.fridge_id
        WHERE s.volunteer_id = $1 AND s.starts_at > now()
        ORDER BY s.starts_at LIMIT 20`,
      [req.user.id]
    );
    cache.set(key, rows, 300);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// Someone takes N of an item.
router.post('/fridges/:fridgeId/items/:itemId/take', async (req, res, next) => {
  const qty = Math.max(1, Number(req.body.quantity) || 1);
  try {
    const result = await pool.query(
      `UPDATE fridge_items SET quantity = quantity - $1, updated_at = now()
        WHERE id = $2 AND fridge_id = $3 AND quantity >= $1
      RETURNING quantity`,
      [qty, req.params.itemId, req.params.fridgeId]
    );
    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'not enough left, someone may have just taken it' });
    }
    await pool.query('INSERT INTO fridge_takes (item_id, user_id, quantity) VALUES ($1, $2, $3)', [
      req.params.itemId,
      req.user.id,
      qty,
    ]);
    res.json({ remaining: result.rows[0].quantity });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
