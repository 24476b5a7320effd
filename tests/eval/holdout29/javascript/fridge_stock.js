// services/fridgeStock.js
// Stock movements for the community fridge network. Volunteers log donations
// ("in") and collections ("out"); each fridge belongs to one network (tenant).

const knex = require('../db/knex');

class InsufficientStockError extends Error {
  constructor(itemId) {
    super(`not enough stock for item ${itemId}`);
    this.code = 'INSUFFICIENT_STOCK';
  }
}

/**
 * Record a collection. The decrement only happens if enough units are on the shelf,
 * and the log row is written in the same transaction.
 */
async function recordCollection({ networkId, fridgeId, itemId, units, volunteerId }) {
  return knex.transaction(async (trx) => {
    const updated = await trx('fridge_stock')
      .where({ network_id: networkId, fridge_id: fridgeId, item_id: itemId })
      .andWhere('units', '>=', units)
      .decrement('units', units);

    if (updated === 0) {
      throw new InsufficientStockError(itemId);
    }

    await trx('stock_log').insert({
      network_id: networkId,
      fridge_id: fridgeId,
      item_id: itemId,
      direction: 'out',
      units,
      volunteer_id: volunteerId,
    });

    return { ok: true };
  });
}

/**
 * Record a donation. Upsert so the first donation of an item creates the row.
 */
async function recordDonation({ networkId, fridgeId, itemId, units, volunteerId, bestBefore }) {
  return knex.transaction(async (trx) => {
    await trx('fridge_stock')
      .insert({ network_id: networkId, fridge_id: fridgeId, item_id: itemId, units })
      .onConflict(['network_id', 'fridge_id', 'item_id'])
      .merge({ units: trx.raw('fridge_stock.units + EXCLUDED.units') });

    await trx('stock_log').insert({
      network_id: networkId,
      fridge_id: fridgeId,
      item_id: itemId,
      direction: 'in',
      units,
      best_before: bestBefore || null,
      volunteer_id: volunteerId,
    });
  });
}

/**
 * Recent log entries for one fridge, newest first, keyset-paginated.
 */
async function listLog({ networkId, fridgeId, before, pageSize = 50 }) {
  const size = Math.min(Math.max(Number(pageSize) || 50, 1), 200);
  const q = knex('stock_log')
    .select('id', 'item_id', 'direction', 'units', 'best_before', 'volunteer_id', 'created_at')
    .where({ network_id: networkId, fridge_id: fridgeId })
    .orderBy('id', 'desc')
    .limit(size);

  if (before) {
    q.andWhere('id', '<', before);
  }

  const rows = await q;
  return {
    items: rows,
    nextCursor: rows.length === size ? rows[rows.length - 1].id : null,
  };
}

module.exports = { recordCollection, recordDonation, listLog, InsufficientStockError };
