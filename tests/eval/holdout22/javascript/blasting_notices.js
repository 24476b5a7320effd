// Quarry blasting notices — public feed for neighbours and the parish council.
// Fragment from routes/notices.js (Express, node-postgres).

const { Client } = require("pg");

function dbConfig() {
  return {
    connectionString: process.env.DATABASE_URL,
    connectionTimeoutMillis: 5000,
    statement_timeout: 10000,
    ssl: process.env.PGSSL === "1" ? { rejectUnauthorized: true } : false,
  };
}

// Opens a connection for the duration of one handler and always closes it.
async function withClient(fn) {
  const client = new Client(dbConfig());
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function toPublicNotice(row) {
  return {
    id: row.id,
    quarry: row.quarry_name,
    face: row.face_label,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    siren: row.siren_pattern,
    exclusionRadiusM: row.exclusion_radius_m,
    cancelled: row.cancelled_at !== null,
  };
}

// GET /notices — all notices for the quarry, newest first. The public
// web page and the council's RSS bridge both read this.
async function listNotices(req, res, next) {
  try {
    const { rows } = await withClient((client) => client.query(
      `SELECT n.id, q.name AS quarry_name, n.face_label, n.window_start, n.window_end,
              n.siren_pattern, n.exclusion_radius_m, n.cancelled_at
         FROM blasting_notices n
         JOIN quarries q ON q.id = n.quarry_id
        WHERE n.quarry_id = $1
        ORDER BY n.window_start DESC`,
      [req.params.quarryId]
    ));
    res.set("Cache-Control", "public, max-age=60");
    res.json(rows.map(toPublicNotice));
  } catch (err) {
    next(err);
  }
}

// GET /notices/:id — single notice for the share link in the SMS.
async function getNotice(req, res, next) {
  try {
    const { rows } = await withClient((client) => client.query(
      `SELECT n.*, q.name AS quarry_name
         FROM blasting_notices n
         JOIN quarries q ON q.id = n.quarry_id
        WHERE n.id = $1 AND n.quarry_id = $2`,
      [req.params.id, req.params.quarryId]
    ));
    if (rows.length === 0) return res.status(404).json({ error: "not found" });
    res.json(toPublicNotice(rows[0]));
  } catch (err) {
    next(err);
  }
}

module.exports = (router) => {
  router.get("/quarries/:quarryId/notices", listNotices);
  router.get("/quarries/:quarryId/notices/:id", getNotice);
};
