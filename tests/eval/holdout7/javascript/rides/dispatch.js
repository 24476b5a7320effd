// Here's a production-ready dispatch endpoint for your ride-hailing backend.
// It finds the nearest available driver, reserves them for the ride and sends
// the rider an ETA. Uses node-postgres with a shared pool and Express.
//
// Deployed behind the ALB (idle timeout 30s), 4 ECS tasks.

const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  idleTimeoutMillis: 30000,
});

const router = express.Router();
const MAPS_URL = process.env.MAPS_URL || 'https://routing.internal/v1/eta';
const OFFER_TTL_SECONDS = 20;

/**
 * Estimate pickup ETA in seconds using the routing service.
 */
async function estimateEta(from, to) {
  const res = await fetch(`${MAPS_URL}?from=${from.lat},${from.lng}&to=${to.lat},${to.lng}`);
  if (!res.ok) {
    throw new Error(`routing service returned ${res.status}`);
  }
  const body = await res.json();
  return body.duration_seconds;
}

/**
 * POST /rides/:rideId/dispatch
 * Picks the closest available driver within 5km and assigns them to the ride.
 */
router.post('/rides/:rideId/dispatch', async (req, res, next) => {
  const { rideId } = req.params;
  try {
    const ride = await pool.query(
      'SELECT id, rider_id, pickup_lat, pickup_lng FROM rides WHERE id = $1',
      [rideId]
    );
    if (ride.rowCount === 0) {
      return res.status(404).json({ error: 'ride not found' });
    }
    const { pickup_lat, pickup_lng } = ride.rows[0];

    // 1. Find the nearest driver that is currently free
    const { rows: candidates } = await pool.query(
      `SELECT id, lat, lng
         FROM drivers
        WHERE status = 'available'
          AND ST_DWithin(location, ST_MakePoint($1, $2)::geography, 5000)
        ORDER BY location <-> ST_MakePoint($1, $2)::geography
        LIMIT 1`,
      [pickup_lng, pickup_lat]
    );

    if (candidates.length === 0) {
      return res.status(409).json({ error: 'no drivers available' });
    }
    const driver = candidates[0];

    // 2. Reserve the driver and attach them to the ride
    await pool.query(`UPDATE drivers SET status = 'assigned', current_ride_id = $1 WHERE id = $2`, [
      rideId,
      driver.id,
    ]);
    await pool.query(`UPDATE rides SET driver_id = $1, status = 'driver_assigned' WHERE id = $2`, [
      driver.id,
      rideId,
    ]);

    // 3. Record the offer so the driver app can accept/decline it
    await pool.query(
      `INSERT INTO ride_offers (ride_id, driver_id, status, expires_at)
       VALUES ($1, $2, 'pending', now() + make_interval(secs => $3))`,
      [rideId, driver.id, OFFER_TTL_SECONDS]
    );

    const etaSeconds = await estimateEta(
      { lat: driver.lat, lng: driver.lng },
      { lat: pickup_lat, lng: pickup_lng }
    );

    return res.status(200).json({ rideId, driverId: driver.id, etaSeconds });
  } catch (err) {
    return next(err);
  }
});

/**
 * GET /offers/pending — polled by the driver app every 3 seconds.
 */
router.get('/drivers/:driverId/offers/pending', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT ride_id, expires_at FROM ride_offers
        WHERE driver_id = $1 AND status = 'pending' AND expires_at > now()
        ORDER BY expires_at
        LIMIT 5`,
      [req.params.driverId]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
