// dispatch-service/src/routes/dispatch.js
// Bike courier dispatch API. Deployed on k8s, 3 pods behind the ALB
// (deploy/values.yaml: replicaCount: 3, HPA up to 6 on Friday nights).
const express = require('express');
const axios = require('axios');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const router = express.Router();

// courierId -> { jobId, assignedAt }: who is currently out on a delivery
const activeAssignments = new Map();

const routing = axios.create({
  baseURL: process.env.ROUTING_API_URL,
  headers: { 'x-api-key': process.env.ROUTING_API_KEY },
});

function haversineKm(aLat, aLng, bLat, bLng) {
  const toRad = (d) => (d * Math.PI) / 180;
  const dLat = toRad(bLat - aLat);
  const dLng = toRad(bLng - aLng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(aLat)) * Math.cos(toRad(bLat)) * Math.sin(dLng / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(h));
}

// bicycle ETA in seconds from the routing provider
async function fetchEta(from, to) {
  let lastErr;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const { data } = await routing.get('/v1/eta', {
        params: { from: `${from.lat},${from.lng}`, to: `${to.lat},${to.lng}`, profile: 'bicycle' },
      });
      return data.seconds;
    } catch (err) {
      lastErr = err; // provider flaps under load, just go again
    }
  }
  throw lastErr;
}

router.post('/jobs/:jobId/assign', async (req, res, next) => {
  try {
    const { rows: [job] } = await pool.query(
      'SELECT id, pickup_lat, pickup_lng, zone_id FROM delivery_jobs WHERE id = $1', [req.params.jobId]);
    if (!job) return res.sendStatus(404);

    const { rows: couriers } = await pool.query(
      `SELECT id, last_lat, last_lng FROM couriers
        WHERE on_shift = true AND zone_id = $1 AND last_seen_at > now() - interval '2 minutes'
        ORDER BY last_seen_at DESC LIMIT 50`, [job.zone_id]);

    const free = couriers.filter((c) => !activeAssignments.has(c.id));
    if (free.length === 0) return res.status(409).json({ error: 'no free couriers in zone' });

    free.sort((a, b) =>
      haversineKm(a.last_lat, a.last_lng, job.pickup_lat, job.pickup_lng) -
      haversineKm(b.last_lat, b.last_lng, job.pickup_lat, job.pickup_lng));
    const courier = free[0];

    const etaSeconds = await fetchEta(
      { lat: courier.last_lat, lng: courier.last_lng },
      { lat: job.pickup_lat, lng: job.pickup_lng });

    const upd = await pool.query(
      "UPDATE delivery_jobs SET courier_id = $1, status = 'assigned', eta_seconds = $2 WHERE id = $3 AND status = 'pending'",
      [courier.id, etaSeconds, job.id]);
    if (upd.rowCount === 0) return res.status(409).json({ error: 'job already assigned' });

    activeAssignments.set(courier.id, { jobId: job.id, assignedAt: Date.now() });
    res.json({ courierId: courier.id, etaSeconds });
  } catch (err) {
    next(err);
  }
});

router.post('/couriers/:courierId/delivered', async (req, res, next) => {
  try {
    const a = activeAssignments.get(Number(req.params.courierId));
    if (!a) return res.status(404).json({ error: 'courier has no active job' });
    await pool.query("UPDATE delivery_jobs SET status = 'delivered', delivered_at = now() WHERE id = $1", [a.jobId]);
    activeAssignments.delete(Number(req.params.courierId));
    res.sendStatus(204);
  } catch (err) {
    next(err);
  }
});

// dispatcher wall screen
router.get('/couriers/busy', (req, res) => {
  res.json([...activeAssignments.entries()].map(([courierId, a]) => ({ courierId, ...a })));
});

module.exports = router;
