'use strict';
const express = require('express');
const { Pool } = require('pg');
const pino = require('pino');

const log = pino();
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 15, statement_timeout: 5000 });
const app = express();
app.use(express.json());

app.get('/products', async (req, res, next) => {
  const limit = Math.min(parseInt(req.query.limit, 10) || 20, 100);
  const cursor = parseInt(req.query.after, 10) || 0;
  try {
    const { rows } = await pool.query(
      'SELECT id, name, price_cents FROM products WHERE id > $1 ORDER BY id LIMIT $2',
      [cursor, limit],
    );
    res.json({ items: rows, next: rows.length ? rows[rows.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

app.get('/products/:id', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT p.id, p.name, p.price_cents, b.name AS brand
         FROM products p LEFT JOIN brands b ON b.id = p.brand_id
        WHERE p.id = $1`,
      [req.params.id],
    );
    if (!rows.length) return res.sendStatus(404);
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

app.post('/products/:id/stock/decrement', async (req, res, next) => {
  const qty = Number(req.body.qty) || 1;
  try {
    const { rowCount, rows } = await pool.query(
      'UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1 RETURNING stock',
      [qty, req.params.id],
    );
    if (rowCount === 0) return res.status(409).json({ error: 'out of stock' });
    res.json({ stock: rows[0].stock });
  } catch (err) {
    next(err);
  }
});

app.use((err, req, res, _next) => {
  log.error({ err, path: req.path }, 'request failed');
  res.status(500).json({ error: 'internal error' });
});

module.exports = app;
