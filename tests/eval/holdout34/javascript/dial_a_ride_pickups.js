// Rural dial-a-ride: passengers phone or use the web form to request a trip.
// We geocode the pickup and drop-off addresses to estimate distance and check
// the trip falls inside the scheme's operating area.

const express = require('express');
const { pool } = require('./db');
const { requirePassenger } = require('./auth');

const GEOCODER_URL = process.env.GEOCODER_URL || 'https://geocode.example-maps.co.uk/v1/search';
const GEOCODER_KEY = process.env.GEOCODER_KEY;

// Village addresses rarely change, so keep every lookup we've done.
const addressCache = new Map();

async function geocode(address) {
  const key = address.trim().toLowerCase();
  if (addressCache.has(key)) return addressCache.get(key);

  const url = `${GEOCODER_URL}?q=${encodeURIComponent(address)}&countrycodes=gb&key=${GEOCODER_KEY}`;
  const resp = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!resp.ok) {
    throw new Error(`geocoder returned ${resp.status}`);
  }
  const [best] = await resp.json();
  if (!best) throw new Error(`no match for address: ${address}`);

  const point = { lat: Number(best.lat), lon: Number(best.lon) };
  addressCache.set(key, point);
  return point;
}

function haversineKm(a, b) {
  const R = 6371;
  const dLat = ((b.lat - a.lat) * Math.PI) / 180;
  const dLon = ((b.lon - a.lon) * Math.PI) / 180;
  const lat1 = (a.lat * Math.PI) / 180;
  const lat2 = (b.lat * Math.PI) / 180;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

const router = express.Router();

router.post('/schemes/:schemeId/trips', requirePassenger, async (req, res, next) => {
  const { schemeId } = req.params;
  const { pickupAddress, dropoffAddress, requestedFor, wheelchair } = req.body;

  try {
    const [pickup, dropoff] = await Promise.all([geocode(pickupAddress), geocode(dropoffAddress)]);
    const distanceKm = haversineKm(pickup, dropoff);

    const { rows: schemeRows } = await pool.query(
      'SELECT max_trip_km FROM dial_a_ride_schemes WHERE id = $1',
      [schemeId]
    );
    if (!schemeRows[0]) return res.status(404).json({ error: 'unknown scheme' });
    if (distanceKm > schemeRows[0].max_trip_km) {
      return res.status(422).json({ error: `Trips are limited to ${schemeRows[0].max_trip_km} km` });
    }

    const { rows } = await pool.query(
      `INSERT INTO dial_a_ride_trips
         (scheme_id, passenger_id, pickup_address, dropoff_address, pickup_lat, pickup_lon,
          dropoff_lat, dropoff_lon, distance_km, requested_for, wheelchair, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'requested')
       RETURNING id, status`,
      [schemeId, req.user.id, pickupAddress, dropoffAddress, pickup.lat, pickup.lon,
        dropoff.lat, dropoff.lon, distanceKm.toFixed(1), requestedFor, Boolean(wheelchair)]
    );

    res.status(201).json({ trip: rows[0], distanceKm: Number(distanceKm.toFixed(1)) });
  } catch (err) {
    next(err);
  }
});

module.exports = { router, geocode };
