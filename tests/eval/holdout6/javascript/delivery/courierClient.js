/**
 * Courier partner API client (food delivery dispatch).
 *
 * - One shared axios instance per process, timeout configured on the instance.
 * - Retries only idempotent / retry-safe failures, with capped exponential backoff + full jitter.
 * - Failures are logged with context and rethrown so the caller (BullMQ job) can decide.
 */
const axios = require('axios');
const logger = require('./logger');

const courierApi = axios.create({
  baseURL: process.env.COURIER_API_URL,
  timeout: 5000,
  headers: { Authorization: `Bearer ${process.env.COURIER_API_KEY}` },
});

const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function backoffDelay(attempt) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(Math.random() * ceiling);
}

function isRetryable(err) {
  if (!err.response) return true; // network error / timeout
  const { status } = err.response;
  return status === 429 || status >= 500;
}

async function withRetry(label, fn) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const last = attempt === MAX_ATTEMPTS - 1;
      if (last || !isRetryable(err)) {
        logger.error({ err, label, attempt }, 'courier API call failed');
        throw err;
      }
      const delay = backoffDelay(attempt);
      logger.warn({ label, attempt, delay, status: err.response?.status }, 'courier API retry');
      await sleep(delay);
    }
  }
}

async function requestPickup(order) {
  const { data } = await withRetry('requestPickup', () =>
    courierApi.post(
      '/v2/pickups',
      {
        externalId: order.id,
        pickup: { lat: order.restaurant.lat, lng: order.restaurant.lng, readyAt: order.readyAt },
        dropoff: { lat: order.dropoffLat, lng: order.dropoffLng, notes: order.dropoffNotes },
      },
      { headers: { 'Idempotency-Key': `pickup-${order.id}` } }
    )
  );
  return data;
}

async function getQuote(zoneId, distanceMeters) {
  const { data } = await withRetry('getQuote', () =>
    courierApi.get('/v2/quotes', { params: { zone: zoneId, distance: distanceMeters } })
  );
  return data.feeCents;
}

async function cancelPickup(pickupId) {
  try {
    await courierApi.delete(`/v2/pickups/${pickupId}`);
  } catch (err) {
    if (err.response?.status === 404) {
      logger.info({ pickupId }, 'pickup already gone at courier, nothing to cancel');
      return;
    }
    logger.error({ err, pickupId }, 'cancelPickup failed');
    throw err;
  }
}

module.exports = { requestPickup, getQuote, cancelPickup };
