// Mobile library van routes. Several county councils share this service;
// each request is scoped to the council of the signed-in librarian.
//
// GET  /routes/:routeId/stops           stops in order + active loans per stop
// GET  /stops/:stopId/visits?cursor=    visit history, 50 at a time
// PUT  /routes/:routeId/stops/order     reorder stops (optimistic version check)

const express = require('express');
const { db } = require('./knexfile');

const router = express.Router();

router.get('/routes/:routeId/stops', async (req, res, next) => {
  const councilId = req.user.councilId;
  try {
    const route = await db('van_routes')
      .where({ id: req.params.routeId, council_id: councilId })
      .first('id', 'name', 'van_reg', 'version');
    if (!route) return res.status(404).json({ error: 'Route not found' });

    const stops = await db('route_stops')
      .where({ route_id: route.id, council_id: councilId })
      .orderBy('position')
      .limit(60)
      .select('id', 'position', 'place_name', 'arrives_at', 'minutes_parked');

    // One grouped query for the loan counts of all stops on the route.
    const counts = await db('loans')
      .where('council_id', councilId)
      .whereIn('stop_id', stops.map((s) => s.id))
      .whereNull('returned_at')
      .groupBy('stop_id')
      .select('stop_id')
      .count({ active: '*' });
    const byStop = new Map(counts.map((c) => [c.stop_id, Number(c.active)]));

    res.json({
      route,
      stops: stops.map((s) => ({ ...s, activeLoans: byStop.get(s.id) || 0 })),
    });
  } catch (err) {
    next(err);
  }
});

router.get('/stops/:stopId/visits', async (req, res, next) => {
  const pageSize = 50;
  try {
    const q = db('stop_visits')
      .where({ stop_id: req.params.stopId, council_id: req.user.councilId })
      .orderBy('visited_at', 'desc')
      .limit(pageSize)
      .select('id', 'visited_at', 'borrowers', 'items_issued', 'items_returned');
    if (req.query.cursor) q.andWhere('visited_at', '<', new Date(req.query.cursor));

    const visits = await q;
    const nextCursor = visits.length === pageSize ? visits[visits.length - 1].visited_at : null;
    res.json({ visits, nextCursor });
  } catch (err) {
    next(err);
  }
});

router.put('/routes/:routeId/stops/order', async (req, res, next) => {
  const { version, stopIds } = req.body;
  const councilId = req.user.councilId;
  try {
    await db.transaction(async (trx) => {
      // Bump the route version only if nobody else reordered it meanwhile.
      const bumped = await trx('van_routes')
        .where({ id: req.params.routeId, council_id: councilId, version })
        .update({ version: version + 1, updated_by: req.user.id });
      if (bumped === 0) {
        const err = new Error('Route was changed by someone else, reload and try again');
        err.status = 409;
        throw err;
      }

      // Rewrite all positions in one statement.
      await trx.raw(
        `UPDATE route_stops rs
            SET position = v.pos
           FROM unnest(?::int[]) WITH ORDINALITY AS v(id, pos)
          WHERE rs.id = v.id AND rs.route_id = ? AND rs.council_id = ?`,
        [stopIds, req.params.routeId, councilId]
      );
    });
    res.status(204).end();
  } catch (err) {
    if (err.status === 409) return res.status(409).json({ error: err.message });
    next(err);
  }
});

module.exports = router;
