// Stained-glass repair quotes: a customer describes the damaged panels and
// we price them from the studio's labour rates plus today's glass prices
// from the supplier's catalogue API.
const express = require('express');
const NodeCache = require('node-cache');
const { Pool } = require('pg');
const log = require('./logger');
const { authenticate } = require('./auth');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5000 });

// The supplier's sheet-glass price list is the same for every customer, so
// it is cached under one shared key and refreshed every 10 minutes.
const supplierCache = new NodeCache({ stdTTL: 600, maxKeys: 10, useClones: false });
const PRICE_LIST_KEY = 'glass-price-list';
let refreshing = null; // pending refresh shared by concurrent misses

async function fetchPriceList() {
  const res = await fetch('https://api.glasssupplier.example/v1/sheets/prices', {
    headers: { Authorization: `Bearer ${process.env.SUPPLIER_KEY}` },
    signal: AbortSignal.timeout(4000),
  });
  if (!res.ok) throw new Error(`supplier price list returned ${res.status}`);
  const body = await res.json();
  return Object.fromEntries(body.sheets.map((s) => [s.code, s.pricePerSqm]));
}

function glassPriceList() {
  const cached = supplierCache.get(PRICE_LIST_KEY);
  if (cached !== undefined) return Promise.resolve(cached);

  // Only one refresh per process; everyone else awaits the same promise.
  if (!refreshing) {
    refreshing = fetchPriceList()
      .then((list) => {
        supplierCache.set(PRICE_LIST_KEY, list);
        return list;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

const LABOUR_PER_PANEL = { releading: 180, crack_repair: 65, new_piece: 95 };

const app = express();
app.use(express.json({ limit: '50kb' }));
app.use(authenticate);

app.post('/quotes', async (req, res, next) => {
  const panels = Array.isArray(req.body.panels) ? req.body.panels.slice(0, 40) : [];
  if (panels.length === 0) return res.status(400).json({ error: 'Describe at least one panel' });

  try {
    const prices = await glassPriceList();
    const unknown = panels.find((p) => prices[p.glassCode] === undefined);
    if (unknown) return res.status(400).json({ error: `Unknown glass code ${unknown.glassCode}` });

    const lines = panels.map((p) => ({
      panel: p.label,
      work: p.work,
      labour: LABOUR_PER_PANEL[p.work] ?? 0,
      glass: Math.round(prices[p.glassCode] * p.areaSqm * 100) / 100,
    }));
    const total = lines.reduce((sum, l) => sum + l.labour + l.glass, 0);

    const { rows } = await pool.query(
      `INSERT INTO repair_quotes (customer_id, building, lines, total_gbp)
       VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
      [req.user.customerId, req.body.building, JSON.stringify(lines), total]
    );
    res.status(201).json({ quoteId: rows[0].id, lines, total });
  } catch (err) {
    log.error({ err }, 'quote pricing failed');
    next(err);
  }
});

app.get('/quotes', async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 10, 50);
  try {
    const { rows } = await pool.query(
      `SELECT id, building, total_gbp, created_at
         FROM repair_quotes
        WHERE customer_id = $1
        ORDER BY created_at DESC
        LIMIT $2`,
      [req.user.customerId, limit]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = app;
