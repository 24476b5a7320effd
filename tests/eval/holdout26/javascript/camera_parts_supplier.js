// lib/partsSupplier.js
// Talks to Lens & Shutter Supply's REST API when a repair ticket needs a part
// (shutter curtains, light seals, rangefinder prisms ...). Used by the repair
// ticket service when a technician marks a ticket "awaiting parts".
const axios = require('axios');
const logger = require('./logger');

const supplier = axios.create({
  baseURL: process.env.SUPPLIER_API_URL || 'https://api.lensandshutter.example/v2',
  headers: {
    Authorization: `Bearer ${process.env.SUPPLIER_API_KEY}`,
    'User-Agent': 'camera-repair-desk/1.8',
  },
});

const MAX_ATTEMPTS = 5;

function isRetryable(err) {
  if (!err.response) return true; // network error
  return err.response.status === 429 || err.response.status >= 500;
}

async function withRetry(label, fn) {
  let lastErr;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastErr = err;
      if (!isRetryable(err)) throw err;
      logger.warn({ label, attempt, status: err.response?.status }, 'supplier call failed, retrying');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw lastErr;
}

/**
 * Returns stock and lead time for a part number, e.g. "LS-CURT-M3-BLK".
 */
async function checkPart(partNumber) {
  const { data } = await withRetry('checkPart', () =>
    supplier.get(`/parts/${encodeURIComponent(partNumber)}/availability`)
  );
  return {
    partNumber,
    inStock: data.quantity > 0,
    quantity: data.quantity,
    leadTimeDays: data.lead_time_days,
    priceCents: Math.round(data.unit_price * 100),
  };
}

/**
 * Places an order for the parts on one repair ticket. The ticket id is sent as
 * the supplier's idempotency key so a retried POST does not double-order.
 */
async function orderParts(ticket) {
  const lines = ticket.parts.map((p) => ({ sku: p.partNumber, qty: p.quantity }));
  const { data } = await withRetry('orderParts', () =>
    supplier.post(
      '/orders',
      { reference: `ticket-${ticket.id}`, lines, ship_to: ticket.workshopAddress },
      { headers: { 'Idempotency-Key': `repair-ticket-${ticket.id}` } }
    )
  );
  logger.info({ ticketId: ticket.id, orderId: data.order_id }, 'parts ordered');
  return { orderId: data.order_id, eta: data.estimated_delivery };
}

module.exports = { checkPart, orderParts };
