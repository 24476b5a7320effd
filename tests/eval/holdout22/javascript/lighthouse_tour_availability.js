// services/tourAvailability.js
// The "Climb the lighthouse" widget on every visitor-centre page shows the
// remaining places per tour slot for the next fortnight. The numbers are the
// same for every visitor, so they are cached per lighthouse and day, briefly.

const { LRUCache } = require("lru-cache");
const { pool } = require("../db/pool"); // shared pg Pool, statement_timeout 3s

const availabilityCache = new LRUCache({
  max: 2000,          // ~40 lighthouses x 14 days, with headroom
  ttl: 30 * 1000,     // places change as people book; 30 s staleness is fine
});

// One in-flight load per key: concurrent misses await the same promise
// instead of each running the query.
const inFlight = new Map();

async function loadAvailability(lighthouseId, day) {
  const { rows } = await pool.query(
    `SELECT t.id, t.starts_at, t.capacity, t.capacity - t.places_taken AS remaining
       FROM tour_slots t
      WHERE t.lighthouse_id = $1
        AND t.starts_at >= $2::date
        AND t.starts_at <  $2::date + interval '1 day'
      ORDER BY t.starts_at
      LIMIT 24`,
    [lighthouseId, day]
  );
  return rows.map((r) => ({
    slotId: r.id,
    startsAt: r.starts_at,
    remaining: Math.max(0, r.remaining),
    soldOut: r.remaining <= 0,
  }));
}

async function getAvailability(lighthouseId, day) {
  const key = `${lighthouseId}:${day}`;
  const hit = availabilityCache.get(key);
  if (hit) return hit;

  let pending = inFlight.get(key);
  if (!pending) {
    pending = loadAvailability(lighthouseId, day)
      .then((slots) => {
        availabilityCache.set(key, slots);
        return slots;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

// Called after a booking commits so the widget does not show stale numbers
// on this instance for the remaining TTL.
function invalidate(lighthouseId, day) {
  availabilityCache.delete(`${lighthouseId}:${day}`);
}

function registerRoutes(app) {
  app.get("/api/lighthouses/:id/availability", async (req, res, next) => {
    const day = String(req.query.day || new Date().toISOString().slice(0, 10));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      return res.status(400).json({ error: "day must be YYYY-MM-DD" });
    }
    try {
      const slots = await getAvailability(Number(req.params.id), day);
      res.set("Cache-Control", "public, max-age=15");
      res.json({ day, slots });
    } catch (err) {
      next(err);
    }
  });
}

module.exports = { getAvailability, invalidate, registerRoutes };
