// services/withdrawals.js — rare-seed bank withdrawal service (Knex)
const knex = require('../db/knex');
const auditQueue = require('../queues/audit');
const logger = require('../logger');

const MIN_RESERVE_GRAMS = 5; // never let an accession drop below the safety-duplicate reserve

class WithdrawalError extends Error {
  constructor(message, status = 400) {
    super(message);
    this.status = status;
  }
}

/**
 * Withdraw seed from an accession lot for a partner garden or researcher.
 * Returns the withdrawal record.
 */
async function withdrawSeed({ bankId, lotId, grams, requestedBy, purpose }) {
  if (grams <= 0) throw new WithdrawalError('grams must be positive');

  const lot = await knex('seed_lots')
    .where({ id: lotId, bank_id: bankId })
    .first('id', 'species', 'grams_available', 'viability_pct');

  if (!lot) throw new WithdrawalError('Lot not found', 404);
  if (lot.grams_available - grams < MIN_RESERVE_GRAMS) {
    throw new WithdrawalError(
      `Only ${lot.grams_available - MIN_RESERVE_GRAMS} g can be released from this lot`,
      409
    );
  }

  const remaining = lot.grams_available - grams;
  await knex('seed_lots')
    .where({ id: lotId, bank_id: bankId })
    .update({ grams_available: remaining, updated_at: knex.fn.now() });

  const [withdrawal] = await knex('withdrawals')
    .insert({
      bank_id: bankId,
      lot_id: lotId,
      grams,
      requested_by: requestedBy,
      purpose,
    })
    .returning(['id', 'created_at']);

  try {
    await auditQueue.add('seed-withdrawn', {
      bankId,
      lotId,
      species: lot.species,
      grams,
      remaining,
    });
  } catch (auditErr) {
    // audit trail is best-effort
  }

  return { ...withdrawal, remaining };
}

async function listWithdrawals(bankId, { cursor, limit = 50 } = {}) {
  const pageSize = Math.min(limit, 200);
  const q = knex('withdrawals')
    .where({ bank_id: bankId })
    .orderBy('id', 'desc')
    .limit(pageSize);
  if (cursor) q.andWhere('id', '<', cursor);
  const rows = await q;
  logger.debug({ bankId, count: rows.length }, 'listed withdrawals');
  return { rows, nextCursor: rows.length === pageSize ? rows[rows.length - 1].id : null };
}

module.exports = { withdrawSeed, listWithdrawals, WithdrawalError };
