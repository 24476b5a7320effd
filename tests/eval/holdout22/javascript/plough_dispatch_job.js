// jobs/dispatchPloughs.js
// Runs every 2 minutes from the scheduler while a snow event is active.
// Picks routes that need clearing, assigns the nearest free plough and pushes
// the assignment to the cab tablet through the telematics gateway.

const knex = require("../db/knex");
const logger = require("../logger");

const TELEMATICS_URL = process.env.TELEMATICS_URL;
const MAX_ROUTES_PER_RUN = 200;

function distanceKm(a, b) {
  const toRad = (x) => (x * Math.PI) / 180;
  const dLat = toRad(b.lat - a.lat);
  const dLng = toRad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(h));
}

async function pushToCab(ploughId, route) {
  let lastErr;
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const res = await fetch(`${TELEMATICS_URL}/cabs/${ploughId}/assignment`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ routeId: route.id, name: route.name, priority: route.priority }),
        signal: AbortSignal.timeout(4000),
      });
      if (res.ok) return;
      lastErr = new Error(`telematics responded ${res.status}`);
    } catch (err) {
      lastErr = err;
    }
    logger.warn({ ploughId, routeId: route.id, attempt }, "cab push failed, retrying");
  }
  throw lastErr;
}

async function dispatchPloughs(depotId) {
  const routes = await knex("gritting_routes")
    .where({ depot_id: depotId, status: "NEEDS_CLEARING" })
    .orderBy([{ column: "priority", order: "asc" }, { column: "id" }])
    .limit(MAX_ROUTES_PER_RUN);

  let assigned = 0;
  for (const route of routes) {
    const freePloughs = await knex("ploughs")
      .select("id", "lat", "lng", "salt_tonnes")
      .where({ depot_id: depotId, state: "IDLE" })
      .andWhere("salt_tonnes", ">=", route.min_salt_tonnes);

    if (freePloughs.length === 0) continue;

    const start = { lat: route.start_lat, lng: route.start_lng };
    freePloughs.sort((a, b) => distanceKm(a, start) - distanceKm(b, start));
    const plough = freePloughs[0];

    // Only take the plough if nobody else grabbed it since we looked.
    const updated = await knex("ploughs")
      .where({ id: plough.id, state: "IDLE" })
      .update({ state: "ASSIGNED", route_id: route.id, assigned_at: knex.fn.now() });
    if (updated !== 1) continue;

    await knex("gritting_routes").where({ id: route.id }).update({ status: "ASSIGNED" });
    await pushToCab(plough.id, route);
    assigned += 1;
  }

  logger.info({ depotId, candidates: routes.length, assigned }, "plough dispatch run finished");
  return assigned;
}

module.exports = { dispatchPloughs };
