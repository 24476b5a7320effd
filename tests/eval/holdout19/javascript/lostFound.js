/**
 * Airport lost-and-found API (multi-airport SaaS).
 * Every airport is a tenant; req.airportId is set by the auth middleware from the
 * staff member's token. items/claims/handovers all carry airport_id.
 * item_categories is a global lookup table shared by all airports (no airport_id).
 */
const express = require('express');
const cron = require('node-cron');
const knex = require('../db/knex');
const logger = require('../logger');
const { requireStaff } = require('../auth');

const router = express.Router();
router.use(requireStaff);

const PAGE_SIZE = 50;

// Category lookup: ~40 rows, loaded once at boot, read-only afterwards.
const categoriesById = new Map();
async function loadCategories() {
  const rows = await knex('item_categories').select('id', 'name', 'retention_days');
  for (const r of rows) categoriesById.set(r.id, r);
}

router.get('/items', async (req, res, next) => {
  try {
    const q = knex('items')
      .where({ airport_id: req.airportId })
      .orderBy('id', 'desc')
      .limit(PAGE_SIZE);
    if (req.query.status) q.andWhere({ status: req.query.status });
    if (req.query.cursor) q.andWhere('id', '<', Number(req.query.cursor));
    const items = await q;
    res.json({
      items: items.map((i) => ({ ...i, category: categoriesById.get(i.category_id)?.name })),
      nextCursor: items.length === PAGE_SIZE ? items[items.length - 1].id : null,
    });
  } catch (err) {
    next(err);
  }
});

router.get('/items/:id', async (req, res, next) => {
  try {
    const item = await knex('items').where({ id: req.params.id, airport_id: req.airportId }).first();
    if (!item) return res.status(404).json({ error: 'not found' });
    const photos = await knex('item_photos').where({ item_id: item.id }).select('url', 'taken_at').limit(10);
    res.json({ ...item, photos });
  } catch (err) {
    next(err);
  }
});

// GET /categories/:id — global table, no tenant column
router.get('/categories/:id', async (req, res, next) => {
  try {
    const cat = await knex('item_categories').where({ id: req.params.id }).first();
    if (!cat) return res.status(404).json({ error: 'not found' });
    res.json(cat);
  } catch (err) {
    next(err);
  }
});

// POST /items/:id/claims — passenger claim captured at the desk, item held for 72h
router.post('/items/:id/claims', async (req, res, next) => {
  const { passengerName, flightNumber, contact } = req.body;
  try {
    const [claim] = await knex.transaction(async (trx) => {
      const updated = await trx('items')
        .where({ id: req.params.id, airport_id: req.airportId, status: 'stored' })
        .update({ status: 'on_hold' });
      if (updated === 0) {
        const err = new Error('item is not available to claim');
        err.status = 409;
        throw err;
      }
      return trx('claims')
        .insert({
          airport_id: req.airportId,
          item_id: req.params.id,
          passenger_name: passengerName,
          flight_number: flightNumber,
          contact,
          hold_expires_at: trx.raw("now() + interval '72 hours'"),
        })
        .returning(['id', 'hold_expires_at']);
    });
    res.status(201).json(claim);
  } catch (err) {
    if (err.status !== 409) {
      logger.error({ err, itemId: req.params.id, airportId: req.airportId }, 'claim failed');
    }
    next(err);
  }
});

// Every 15 minutes: expired holds go back to storage and the claim rows are removed.
cron.schedule('*/15 * * * *', async () => {
  try {
    await knex.transaction(async (trx) => {
      const expired = await trx('claims')
        .where('hold_expires_at', '<', trx.fn.now())
        .whereNull('handed_over_at')
        .del()
        .returning(['item_id', 'airport_id']);
      if (expired.length) {
        await trx('items')
          .whereIn('id', expired.map((e) => e.item_id))
          .andWhere({ status: 'on_hold' })
          .update({ status: 'stored' });
      }
    });
  } catch (err) {
    logger.error({ err }, 'expired claim sweep failed');
    throw err;
  }
});

module.exports = { router, loadCategories };
