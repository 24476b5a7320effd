const express = require('express');
const { pool } = require('./db');

const router = express.Router();

router.post('/coupons/:code/redeem', async (req, res, next) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      'SELECT id, uses, max_uses FROM coupons WHERE code = $1 FOR UPDATE',
      [req.params.code],
    );
    if (!rows.length) {
      await client.query('ROLLBACK');
      return res.status(404).end();
    }
    const c = rows[0];
    if (c.uses >= c.max_uses) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'coupon used up' });
    }
    await client.query('UPDATE coupons SET uses = uses + 1 WHERE id = $1', [c.id]);
    await client.query('INSERT INTO redemptions (coupon_id, user_id) VALUES ($1, $2)', [c.id, req.user.id]);
    await client.query('COMMIT');
    res.json({ ok: true });
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

router.get('/coupons', async (req, res) => {
  const { rows } = await pool.query('SELECT code, max_uses, uses FROM coupons ORDER BY code');
  res.json(rows);
});

module.exports = router;
