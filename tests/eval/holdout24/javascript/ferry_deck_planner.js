// services/deckPlanner.js
// Vehicle deck planning for the island ferry. Each sailing has a few lanes with a
// fixed number of free metres; a vehicle takes (length + 0.5 m gap) from one lane.
const axios = require('axios');
const knex = require('../db/knex'); // shared pool: pool: { min: 2, max: 10 }, acquireConnectionTimeout: 5000

const GAP_METRES = 0.5;

const registry = axios.create({
  baseURL: process.env.VEHICLE_REGISTRY_URL,
  timeout: 4000,
  headers: { 'x-api-key': process.env.VEHICLE_REGISTRY_KEY },
});

class LaneFullError extends Error {}

async function lookupVehicleLength(registration) {
  const { data } = await registry.get(`/vehicles/${encodeURIComponent(registration)}`);
  return Number(data.lengthMetres);
}

/**
 * Place a vehicle on the first lane with room. The decrement is conditional on
 * free_metres, so two check-ins racing for the last gap cannot both succeed.
 */
async function placeVehicle({ sailingId, registration, bookingRef }) {
  const length = await lookupVehicleLength(registration);
  const needed = length + GAP_METRES;

  return knex.transaction(async (trx) => {
    // Pick the first lane with room and take the metres in one statement; the
    // row lock plus the repeated free_metres condition keeps concurrent check-ins apart.
    const { rows } = await trx.raw(
      `UPDATE sailing_lanes
          SET free_metres = free_metres - :needed
        WHERE sailing_id = :sailingId
          AND lane_no = (
                SELECT lane_no FROM sailing_lanes
                 WHERE sailing_id = :sailingId AND free_metres >= :needed
                 ORDER BY lane_no
                 LIMIT 1
                 FOR UPDATE)
          AND free_metres >= :needed
      RETURNING lane_no`,
      { sailingId, needed },
    );
    if (rows.length !== 1) {
      throw new LaneFullError(`no lane on sailing ${sailingId} has ${needed.toFixed(1)} m free`);
    }

    const laneNo = rows[0].lane_no;
    await trx('deck_positions').insert({
      sailing_id: sailingId,
      lane_no: laneNo,
      booking_ref: bookingRef,
      registration,
      metres: needed,
    });
    return { laneNo, metres: needed };
  });
}

// Loading list for the deck crew, one page at a time.
async function loadingList(sailingId, { afterId = 0, pageSize = 100 } = {}) {
  const size = Math.min(Number(pageSize) || 100, 200);
  return knex('deck_positions')
    .select('id', 'lane_no', 'registration', 'booking_ref', 'metres')
    .where({ sailing_id: sailingId })
    .andWhere('id', '>', afterId)
    .orderBy('id')
    .limit(size);
}

// Express wiring (routes/deck.js)
function mountDeckRoutes(router) {
  router.post('/sailings/:sailingId/vehicles', async (req, res, next) => {
    try {
      const placed = await placeVehicle({
        sailingId: req.params.sailingId,
        registration: req.body.registration,
        bookingRef: req.body.bookingRef,
      });
      res.status(201).json(placed);
    } catch (err) {
      if (err instanceof LaneFullError) return res.status(409).json({ error: err.message });
      next(err);
    }
  });

  router.get('/sailings/:sailingId/vehicles', async (req, res, next) => {
    try {
      res.json(await loadingList(req.params.sailingId, req.query));
    } catch (err) {
      next(err);
    }
  });
}

module.exports = { placeVehicle, loadingList, mountDeckRoutes, LaneFullError };
