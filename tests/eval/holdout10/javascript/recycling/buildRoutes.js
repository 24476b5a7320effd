#!/usr/bin/env node
// scripts/buildRoutes.js
// Nightly: group tomorrow's pickup requests into truck routes per depot.
// Run by a single cron entry on the ops box:
//   15 2 * * *  node scripts/buildRoutes.js --date=$(date -d tomorrow +\%F)
'use strict';

const { Pool } = require('pg');
const { planRoute } = require('../lib/vrp');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const PAGE = 500;

const dateArg = (process.argv.find((a) => a.startsWith('--date=')) || '').slice(7);
if (!/^\d{4}-\d{2}-\d{2}$/.test(dateArg)) {
  console.error('usage: buildRoutes.js --date=YYYY-MM-DD');
  process.exit(2);
}

async function main() {
  // small table (a dozen depots); loaded once, used for the whole run
  const depots = new Map();
  for (const d of (await pool.query('SELECT id, name, lat, lng, truck_count FROM depots')).rows) {
    depots.set(d.id, { ...d, stops: [] });
  }

  let lastId = 0;
  let total = 0;
  for (;;) {
    const { rows: requests } = await pool.query(
      `SELECT id, address_id, material, est_volume_l
         FROM pickup_requests
        WHERE pickup_date = $1 AND status = 'scheduled' AND id > $2
        ORDER BY id
        LIMIT $3`,
      [dateArg, lastId, PAGE]
    );
    if (requests.length === 0) break;

    // one query per page for all addresses on the page
    const addressIds = [...new Set(requests.map((r) => r.address_id))];
    const { rows: addresses } = await pool.query(
      'SELECT id, lat, lng, depot_id, access_notes FROM addresses WHERE id = ANY($1::bigint[])',
      [addressIds]
    );
    const byId = new Map(addresses.map((a) => [a.id, a]));

    for (const r of requests) {
      const addr = byId.get(r.address_id);
      if (!addr) continue;
      depots.get(addr.depot_id)?.stops.push({ requestId: r.id, ...addr, material: r.material, volume: r.est_volume_l });
    }

    total += requests.length;
    lastId = requests[requests.length - 1].id;
    console.log(`loaded ${total} requests`);
  }

  for (const depot of depots.values()) {
    if (depot.stops.length === 0) continue;
    const routes = planRoute(depot, depot.stops, { trucks: depot.truck_count });
    await pool.query(
      `INSERT INTO routes (depot_id, route_date, plan)
       VALUES ($1, $2, $3)
       ON CONFLICT (depot_id, route_date) DO UPDATE SET plan = EXCLUDED.plan, updated_at = now()`,
      [depot.id, dateArg, JSON.stringify(routes)]
    );
    console.log(`${depot.name}: ${depot.stops.length} stops, ${routes.length} routes`);
  }
}

main()
  .catch((err) => {
    console.error('route build failed', err);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
