// routes/rentals.js — cargo bike rentals (Express + Knex)
// Bikes sit in smart docks; the dock vendor exposes a small HTTP API to release a lock.
const express = require('express');
const axios = require('axios');
const knex = require('../db/knex'); // shared pool: { min: 2, max: 20 }, acquireConnectionTimeout 10s

const dockApi = axios.create({
  baseURL: process.env.DOCK_API_URL,
  timeout: 4000,
  headers: { authorization: `Bearer ${process.env.DOCK_API_TOKEN}` },
});

const router = express.Router();

// POST /bikes/:bikeId/rent
router.post('/bikes/:bikeId/rent', async (req, res, next) => {
  const bikeId = Number(req.params.bikeId);
  const riderId = req.user.riderId;

  try {
    const rental = await knex.transaction(async (trx) => {
      // claim the bike only if it is still docked; 0 rows means someone else got it
      const claimed = await trx('bikes')
        .where({ id: bikeId, status: 'docked' })
        .update({ status: 'rented', updated_at: trx.fn.now() });
      if (claimed === 0) return null;

      const [row] = await trx('rentals')
        .insert({ bike_id: bikeId, rider_id: riderId, started_at: trx.fn.now() })
        .returning(['id', 'started_at']);
      return row;
    });

    if (!rental) return res.status(409).json({ error: 'bike is not available' });

    try {
      await dockApi.post(`/docks/bikes/${bikeId}/release`, { rentalId: rental.id });
    } catch (releaseErr) {
      // the dock did not open: undo the claim so the bike shows as available again
      await knex.transaction(async (trx) => {
        await trx('rentals').where({ id: rental.id }).update({ ended_at: trx.fn.now(), minutes: 0, cancelled: true });
        await trx('bikes').where({ id: bikeId, status: 'rented' }).update({ status: 'docked' });
      });
      throw releaseErr;
    }
    res.status(201).json({ rentalId: rental.id, startedAt: rental.started_at });
  } catch (err) {
    next(err);
  }
});

// POST /rentals/:id/end — called by the dock when the bike is locked back in
router.post('/rentals/:id/end', async (req, res, next) => {
  const rentalId = Number(req.params.id);
  const { dockId } = req.body;

  try {
    const result = await knex.transaction(async (trx) => {
      const rental = await trx('rentals')
        .where({ id: rentalId })
        .whereNull('ended_at')
        .forUpdate()
        .first('id', 'bike_id', 'started_at');
      if (!rental) return null;

      const minutes = Math.ceil((Date.now() - new Date(rental.started_at).getTime()) / 60000);
      await trx('rentals')
        .where({ id: rental.id })
        .update({ ended_at: trx.fn.now(), minutes, end_dock_id: dockId });
      await trx('bikes')
        .where({ id: rental.bike_id })
        .update({ status: 'docked', dock_id: dockId, updated_at: trx.fn.now() });
      return { rentalId: rental.id, minutes };
    });

    if (!result) return res.status(404).json({ error: 'no open rental' });
    res.json(result);
  } catch (err) {
    next(err);
  }
});

// GET /me/rentals?cursor=<id>
router.get('/me/rentals', async (req, res, next) => {
  const pageSize = 25;
  try {
    const q = knex('rentals')
      .where({ rider_id: req.user.riderId })
      .orderBy('id', 'desc')
      .limit(pageSize + 1)
      .select('id', 'bike_id', 'started_at', 'ended_at', 'minutes');
    if (req.query.cursor) q.andWhere('id', '<', Number(req.query.cursor));

    const rows = await q;
    const hasMore = rows.length > pageSize;
    const page = rows.slice(0, pageSize);
    res.json({ rentals: page, nextCursor: hasMore ? page[page.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
