// lib/rehomingRegistryClient.js
// Client for the regional small-animal rehoming registry, used by the ferret
// rescue to publish adoptable ferrets and check adopter references.
const axios = require('axios');
const http = require('node:http');
const https = require('node:https');
const logger = require('./logger');

const BASE_URL = process.env.REHOMING_REGISTRY_URL || 'https://registry.rehoming.example.org/api';

// One client (and keep-alive agent) for the whole process.
const client = axios.create({
  baseURL: BASE_URL,
  timeout: 8000,
  httpAgent: new http.Agent({ keepAlive: true, maxSockets: 20 }),
  httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 20 }),
  headers: { Authorization: `Bearer ${process.env.REHOMING_REGISTRY_TOKEN}` },
});

const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 300;
const MAX_DELAY_MS = 5000;

function backoffDelay(attempt) {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(Math.random() * exp); // full jitter
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withRetry(label, fn) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = err.response && err.response.status;
      const retryable = !status || RETRYABLE.has(status);
      if (!retryable || attempt === MAX_ATTEMPTS - 1) {
        logger.error({ err: err.message, status, label, attempt }, 'rehoming registry call failed');
        throw err;
      }
      const delay = backoffDelay(attempt);
      logger.warn({ status, label, attempt, delay }, 'retrying rehoming registry call');
      await sleep(delay);
    }
  }
}

/** Publish (or re-publish) an adoptable ferret. The registry dedupes on externalId. */
async function publishFerret(ferret) {
  const payload = {
    externalId: `ferret-rescue-${ferret.id}`,
    name: ferret.name,
    sex: ferret.sex,
    neutered: ferret.neutered,
    ageMonths: ferret.ageMonths,
    temperament: ferret.temperamentNotes,
    photos: ferret.photoUrls.slice(0, 6),
  };
  const { data } = await withRetry('publishFerret', () =>
    client.put(`/listings/${encodeURIComponent(payload.externalId)}`, payload)
  );
  return data.listingId;
}

/** Has this adopter been flagged by another rescue? Read-only lookup. */
async function checkAdopterReference(email) {
  const { data } = await withRetry('checkAdopterReference', () =>
    client.get('/adopter-references', { params: { email }, timeout: 4000 })
  );
  return { flagged: Boolean(data.flagged), reasonCode: data.reasonCode || null };
}

async function withdrawListing(ferretId) {
  await withRetry('withdrawListing', () =>
    client.delete(`/listings/ferret-rescue-${ferretId}`)
  );
}

module.exports = { publishFerret, checkAdopterReference, withdrawListing };
