// Low-tide windows for rock-pool education visits.
// Schools pick a visit date on the booking form; we show the safe rock-pool window
// (low water +/- 90 minutes, daylight only) for the chosen beach.
// Tide predictions come from the harbour authority API, which allows ~60 requests/min,
// so predictions are cached per beach and day and shared by every visitor.

const express = require('express');
const { LRUCache } = require('lru-cache');

const TIDE_API = process.env.TIDE_API_URL;

const tideCache = new LRUCache({
  max: 2000,              // ~40 beaches x 50 days ahead
  ttl: 6 * 60 * 60 * 1000,
});

// Concurrent misses for the same beach/day share one upstream request.
const inFlight = new Map();

async function fetchPredictions(beachId, date) {
  const url = `${TIDE_API}/stations/${encodeURIComponent(beachId)}/predictions?date=${date}`;
  const resp = await fetch(url, {
    headers: { accept: 'application/json', 'x-api-key': process.env.TIDE_API_KEY },
    signal: AbortSignal.timeout(5000),
  });
  if (!resp.ok) {
    throw new Error(`tide api ${resp.status} for ${beachId} ${date}`);
  }
  return resp.json();
}

async function getPredictions(beachId, date) {
  const key = `${beachId}:${date}`;
  const cached = tideCache.get(key);
  if (cached) return cached;

  let pending = inFlight.get(key);
  if (!pending) {
    pending = fetchPredictions(beachId, date)
      .then((data) => {
        tideCache.set(key, data);
        return data;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

function safeWindows(predictions, sunrise, sunset) {
  return predictions.extremes
    .filter((e) => e.type === 'low')
    .map((e) => {
      const t = new Date(e.time).getTime();
      return {
        lowWater: e.time,
        heightM: e.height,
        from: new Date(Math.max(t - 90 * 60000, sunrise)).toISOString(),
        to: new Date(Math.min(t + 90 * 60000, sunset)).toISOString(),
      };
    })
    .filter((w) => w.from < w.to);
}

const router = express.Router();

router.get('/beaches/:beachId/windows', async (req, res, next) => {
  const { date } = req.query;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date || '')) {
    return res.status(400).json({ error: 'date must be YYYY-MM-DD' });
  }
  try {
    const predictions = await getPredictions(req.params.beachId, date);
    const windows = safeWindows(
      predictions,
      new Date(predictions.sunrise).getTime(),
      new Date(predictions.sunset).getTime()
    );
    res.set('cache-control', 'public, max-age=600');
    res.json({ beachId: req.params.beachId, date, windows });
  } catch (err) {
    next(err);
  }
});

module.exports = { router, getPredictions };
