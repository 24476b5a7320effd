// lib/partsSupplier.js
// Client for the wholesale parts supplier used by the cycle repair co-op.
// Orders are placed from the workshop tablet when stock of brake blocks,
// inner tubes, chains etc. runs low.

const axios = require('axios');
const http = require('http');
const https = require('https');
const { randomUUID } = require('crypto');
const logger = require('./logger');

const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;

// One shared client with keep-alive agents; every request has a hard timeout.
const supplier = axios.create({
  baseURL: process.env.PARTS_SUPPLIER_URL,
  timeout: 10_000,
  httpAgent: new http.Agent({ keepAlive: true, maxSockets: 20 }),
  httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 20 }),
  headers: { Authorization: `Bearer ${process.env.PARTS_SUPPLIER_TOKEN}` },
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function isRetryable(err) {
  if (!err.response) return true; // network error or timeout
  const status = err.response.status;
  return status === 429 || status >= 500;
}

// Full jitter: random delay in [0, min(cap, base * 2^attempt)).
function backoffDelay(attempt) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(Math.random() * ceiling);
}

async function withRetry(label, fn) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      const last = attempt === MAX_ATTEMPTS - 1;
      if (last || !isRetryable(err)) {
        logger.error({ err, label, attempt }, 'parts supplier call failed');
        throw err;
      }
      const delay = backoffDelay(attempt);
      logger.warn({ label, attempt, delay, status: err.response?.status }, 'retrying parts supplier call');
      await sleep(delay);
    }
  }
  throw new Error('unreachable');
}

/**
 * Place a parts order. The idempotency key is generated once per order and
 * reused across retries, so the supplier never books the same order twice.
 */
async function placePartsOrder(coopOrder) {
  const idempotencyKey = coopOrder.idempotencyKey || randomUUID();
  const payload = {
    account: process.env.PARTS_SUPPLIER_ACCOUNT,
    reference: `COOP-${coopOrder.id}`,
    lines: coopOrder.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
    deliverBy: coopOrder.deliverBy,
  };

  const response = await withRetry('placePartsOrder', () =>
    supplier.post('/v2/orders', payload, { headers: { 'Idempotency-Key': idempotencyKey } })
  );
  return { supplierOrderId: response.data.id, idempotencyKey };
}

async function getOrderStatus(supplierOrderId) {
  const response = await withRetry('getOrderStatus', () =>
    supplier.get(`/v2/orders/${encodeURIComponent(supplierOrderId)}`)
  );
  return response.data.status;
}

module.exports = { placePartsOrder, getOrderStatus, backoffDelay };
