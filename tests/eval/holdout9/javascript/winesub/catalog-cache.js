// catalog/catalogService.js
// Wine club catalog: the monthly shelf is identical for every member, so we cache it
// once per region. Runs on 3 replicas; a 2-minute staleness per replica is acceptable.
const NodeCache = require('node-cache');
const { pool } = require('../db'); // shared pg Pool, created once at startup
const logger = require('../logger');

const shelfCache = new NodeCache({ stdTTL: 120, checkperiod: 60, maxKeys: 500, useClones: false });
const inflight = new Map(); // region -> Promise, removed as soon as it settles

async function loadShelf(region) {
  const { rows } = await pool.query(
    `SELECT w.id, w.name, w.vintage, w.varietal, w.price_cents, s.qty_available
       FROM monthly_shelf s
       JOIN wines w ON w.id = s.wine_id
      WHERE s.region = $1 AND s.month = date_trunc('month', now())
      ORDER BY w.varietal, w.name
      LIMIT 200`,
    [region]
  );
  return rows;
}

async function getShelf(region) {
  const hit = shelfCache.get(region);
  if (hit) return hit;

  // single-flight: concurrent misses for the same region share one query
  if (inflight.has(region)) return inflight.get(region);

  const p = loadShelf(region)
    .then((rows) => {
      shelfCache.set(region, rows);
      return rows;
    })
    .finally(() => inflight.delete(region));
  inflight.set(region, p);
  return p;
}

// GET /catalog/shelf?region=EU
async function shelfHandler(req, res, next) {
  const region = String(req.query.region || 'US').toUpperCase();
  try {
    const wines = await getShelf(region);
    res.set('Cache-Control', 'public, max-age=60');
    res.json({ region, wines });
  } catch (err) {
    logger.error({ err, region }, 'failed to load monthly shelf');
    next(err);
  }
}

// GET /members/me/shipments?page=2  -- per member, never cached
// (express 5: a rejected promise is forwarded to the error middleware)
async function myShipments(req, res, next) {
  const page = Math.max(1, parseInt(req.query.page, 10) || 1);
  const pageSize = 20;
  try {
    const { rows } = await pool.query(
      `SELECT id, shipped_on, carrier, tracking_no, status
         FROM shipments
        WHERE member_id = $1
        ORDER BY shipped_on DESC
        LIMIT $2 OFFSET $3`,
      [req.user.memberId, pageSize, (page - 1) * pageSize]
    );
    res.json({ page, shipments: rows });
  } catch (err) {
    logger.error({ err }, 'shipments query failed');
    throw err;
  }
}

module.exports = { shelfHandler, myShipments };
