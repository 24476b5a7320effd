// Here's a more robust version of your MLS client. Changes:
//  1. One shared axios instance with a timeout (your old code had none, so a hung
//     MLS socket blocked the sync forever).
//  2. Retries use exponential backoff with full jitter and a hard cap on attempts,
//     and only for errors that are actually retryable (network, 429, 5xx).
//  3. Errors are logged with context and re-thrown so the sync job fails loudly.
'use strict';

const axios = require('axios');
const logger = require('./logger');

const mls = axios.create({
  baseURL: process.env.MLS_API_URL,
  timeout: 8000, // ms, applies to every request made through this instance
  headers: { Authorization: `Bearer ${process.env.MLS_API_TOKEN}` },
});

const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function backoffDelay(attempt) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(Math.random() * ceiling); // full jitter
}

function isRetryable(err) {
  if (!err.response) return true; // timeout / ECONNRESET
  const s = err.response.status;
  return s === 429 || s >= 500;
}

async function withRetry(fn, what) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const last = attempt === MAX_ATTEMPTS - 1;
      if (!isRetryable(err) || last) {
        logger.error({ err: err.message, status: err.response?.status, what, attempt }, 'MLS request failed');
        throw err;
      }
      const delay = backoffDelay(attempt);
      logger.warn({ what, attempt, delay }, 'MLS request failed, retrying');
      await sleep(delay);
    }
  }
}

async function fetchListingsPage({ updatedSince, cursor }) {
  return withRetry(
    () => mls.get('/v1/listings', { params: { updatedSince, cursor, limit: 200 } }).then((r) => r.data),
    `listings page ${cursor || 'first'}`
  );
}

// Walk the cursor pagination: one request per page of 200, not per listing.
async function* updatedListings(updatedSince) {
  let cursor = null;
  do {
    const page = await fetchListingsPage({ updatedSince, cursor });
    yield page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

// Photos for a whole page of listings in one call.
async function fetchPhotosFor(listingIds) {
  if (listingIds.length === 0) return {};
  return withRetry(
    () => mls.post('/v1/photos/batch', { listingIds }).then((r) => r.data.byListing),
    `photos for ${listingIds.length} listings`
  );
}

module.exports = { updatedListings, fetchPhotosFor };
