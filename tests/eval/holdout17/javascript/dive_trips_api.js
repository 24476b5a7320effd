// api/trips.js -- dive shop back office. Multi-tenant: each dive shop is a tenant and
// every table (dive_trips, trip_divers, divers, boats) carries shop_id.
const express = require('express');
const knex = require('../db/knex');
const { requireShopUser } = require('../middleware/auth'); // sets req.shopId from the JWT

const router = express.Router();
router.use(requireShopUser);

const CERT_RANK = { 'open-water': 1, advanced: 2, rescue: 3, divemaster: 4, instructor: 5 };

// GET /trips?from=2024-06-01&to=2024-06-30
router.get('/trips', async (req, res, next) => {
  try {
    const trips = await knex('dive_trips')
      .where({ shop_id: req.shopId })
      .whereBetween('departs_at', [req.query.from, req.query.to])
      .orderBy('departs_at')
      .limit(200);
    res.json(trips);
  } catch (e) { next(e); }
});

// GET /trips/:id -- trip with its manifest
router.get('/trips/:id', async (req, res, next) => {
  try {
    const trip = await knex('dive_trips').where({ id: req.params.id, shop_id: req.shopId }).first();
    if (!trip) return res.sendStatus(404);
    const manifest = await knex('trip_divers as td')
      .join('divers as d', 'd.id', 'td.diver_id')
      .where({ 'td.trip_id': trip.id, 'td.shop_id': req.shopId })
      .select('d.id', 'd.full_name', 'd.cert_level', 'td.rental_gear', 'td.checked_in_at');
    res.json({ ...trip, manifest });
  } catch (e) { next(e); }
});

// POST /trips/:id/divers -- add a diver to a trip if there is room on the boat
router.post('/trips/:id/divers', async (req, res, next) => {
  try {
    const added = await knex.transaction(async (trx) => {
      const trip = await trx('dive_trips')
        .where({ id: req.params.id, shop_id: req.shopId })
        .forUpdate()
        .first();
      if (!trip) return null;
      const [{ count }] = await trx('trip_divers').where({ trip_id: trip.id, shop_id: req.shopId }).count();
      if (Number(count) >= trip.max_divers) return 'full';
      await trx('trip_divers').insert({ trip_id: trip.id, diver_id: req.body.diverId, shop_id: req.shopId, rental_gear: !!req.body.rentalGear });
      return 'ok';
    });
    if (added === null) return res.sendStatus(404);
    if (added === 'full') return res.status(409).json({ error: 'boat is full' });
    res.sendStatus(201);
  } catch (e) { next(e); }
});

// GET /divers/:id -- diver profile incl. medical form status
router.get('/divers/:id', async (req, res, next) => {
  try {
    const diver = await knex('divers').where({ id: req.params.id }).first();
    if (!diver) return res.sendStatus(404);
    res.json(diver);
  } catch (e) { next(e); }
});

// GET /cert-check -- divers on upcoming trips whose cert is below the site minimum
router.get('/cert-check', async (req, res, next) => {
  try {
    const trips = await knex('dive_trips')
      .where({ shop_id: req.shopId })
      .where('departs_at', '>', knex.fn.now())
      .orderBy('departs_at')
      .limit(50);
    const problems = [];
    for (const trip of trips) {
      const divers = await knex('trip_divers as td').join('divers as d', 'd.id', 'td.diver_id').where('td.trip_id', trip.id).select('d.id', 'd.full_name', 'd.cert_level');
      for (const d of divers) {
        if ((CERT_RANK[d.cert_level] || 0) < (CERT_RANK[trip.min_cert] || 0)) {
          problems.push({ tripId: trip.id, site: trip.site_name, diverId: d.id, name: d.full_name, has: d.cert_level, needs: trip.min_cert });
        }
      }
    }
    res.json(problems);
  } catch (e) { next(e); }
});

module.exports = router;
