// Heritage apple grafting orders — variety catalogue and order endpoints.
// The catalogue (about 400 heritage varieties with rootstock options and
// grafting-season availability) is assembled from three tables, so we keep
// it in memory between requests.

const catalogueCache = new Map();
const CATALOGUE_TTL_MS = 10 * 60 * 1000;

async function buildCatalogue(db) {
  const [varieties, rootstocks, availability] = await Promise.all([
    db.query('SELECT id, name, county_of_origin, pollination_group, notes FROM apple_varieties WHERE listed = true ORDER BY name LIMIT 1000'),
    db.query('SELECT id, code, vigour, mature_height_m FROM rootstocks WHERE listed = true LIMIT 50'),
    db.query('SELECT variety_id, rootstock_id, scions_left FROM graft_availability WHERE season = $1 LIMIT 20000', [currentSeason()]),
  ]);

  const rootstockById = new Map(rootstocks.rows.map((r) => [r.id, r]));
  const byVariety = new Map();
  for (const a of availability.rows) {
    if (!byVariety.has(a.variety_id)) byVariety.set(a.variety_id, []);
    byVariety.get(a.variety_id).push({ ...rootstockById.get(a.rootstock_id), scionsLeft: a.scions_left });
  }

  return varieties.rows.map((v) => ({
    ...v,
    rootstocks: byVariety.get(v.id) || [],
  }));
}

function currentSeason() {
  const now = new Date();
  // Grafting season runs Jan–Mar; orders open the previous October.
  return now.getMonth() >= 9 ? now.getFullYear() + 1 : now.getFullYear();
}

async function getCatalogue(req, res, next) {
  try {
    const cacheKey = `catalogue:${req.session.userId}`;
    const hit = catalogueCache.get(cacheKey);
    if (hit && hit.expires > Date.now()) {
      return res.json(hit.value);
    }
    const value = await buildCatalogue(req.app.locals.db);
    catalogueCache.set(cacheKey, { value, expires: Date.now() + CATALOGUE_TTL_MS });
    res.json(value);
  } catch (err) {
    next(err);
  }
}

async function placeGraftOrder(req, res, next) {
  const { varietyId, rootstockId, quantity } = req.body;
  const qty = Number(quantity);
  if (!Number.isInteger(qty) || qty < 1 || qty > 20) {
    return res.status(400).json({ error: 'quantity must be 1–20' });
  }
  const db = req.app.locals.db;
  try {
    const result = await db.query(
      `UPDATE graft_availability
          SET scions_left = scions_left - $4
        WHERE variety_id = $1 AND rootstock_id = $2 AND season = $3 AND scions_left >= $4`,
      [varietyId, rootstockId, currentSeason(), qty]
    );
    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'Not enough scions left for that combination' });
    }
    const { rows } = await db.query(
      'INSERT INTO graft_orders (customer_id, variety_id, rootstock_id, quantity, season) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [req.session.userId, varietyId, rootstockId, qty, currentSeason()]
    );
    res.status(201).json({ orderId: rows[0].id });
  } catch (err) {
    next(err);
  }
}

module.exports = { getCatalogue, placeGraftOrder, buildCatalogue };
