'use strict';

// Address -> lat/lng lookups for route planning. Results are the same for every
// customer, so they are cached per normalized address (not per account).
const express = require('express');
const { Pool } = require('undici');
const { LRUCache } = require('lru-cache');

const geo = new Pool(process.env.GEOCODER_URL || 'http://geocoder.internal:7070', {
  connections: 32,
  connect: { timeout: 2000 },
  headersTimeout: 4000,
  bodyTimeout: 4000,
});

function normalize(address) {
  return address.trim().toLowerCase().replace(/\s+/g, ' ');
}

// fetchMethod dedupes concurrent lookups for the same key: while one request is
// in flight, other callers await the same promise instead of hitting the geocoder.
const cache = new LRUCache({
  max: 50_000,
  ttl: 1000 * 60 * 60 * 24 * 7,
  allowStale: true,
  fetchMethod: async (key, _stale, { signal }) => {
    const { statusCode, body } = await geo.request({
      method: 'GET',
      path: `/v1/search?q=${encodeURIComponent(key)}&limit=1`,
      signal,
    });
    if (statusCode === 404) {
      await body.dump();
      return null;
    }
    if (statusCode !== 200) {
      await body.dump();
      throw new Error(`geocoder responded ${statusCode}`);
    }
    const data = await body.json();
    const hit = data.results && data.results[0];
    return hit ? { lat: hit.lat, lng: hit.lng, confidence: hit.confidence } : null;
  },
});

async function geocode(address) {
  return cache.fetch(normalize(address));
}

const router = express.Router();

router.get('/geocode', async (req, res) => {
  const q = String(req.query.q || '');
  if (q.length < 5 || q.length > 300) return res.status(400).json({ error: 'q must be 5-300 chars' });
  try {
    const point = await geocode(q);
    if (!point) return res.status(404).json({ error: 'address not found' });
    res.json(point);
  } catch (err) {
    req.log.error({ err, q }, 'geocode failed');
    res.status(502).json({ error: 'geocoder unavailable' });
  }
});

module.exports = { router, geocode };
