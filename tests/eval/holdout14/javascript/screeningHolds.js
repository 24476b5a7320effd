// services/screeningHolds.js  (festival box office)
// Seat holds for festival screenings. A hold lasts 10 minutes; the cron at the
// bottom releases anything that expired so seats go back on sale.
const cron = require('node-cron');
const knex = require('../db/knex');
const log = require('../log');

const HOLD_MINUTES = 10;

async function getSeatMap(screeningId) {
  // a screening has at most ~450 seats (largest venue is the Orpheum)
  return knex('seats')
    .select('label', 'row', 'number', 'status', 'accessible')
    .where({ screening_id: screeningId })
    .orderBy(['row', 'number']);
}

async function holdSeat(screeningId, seatLabel, patronId) {
  const screening = await knex('screenings')
    .select('id', 'sales_open', 'starts_at')
    .where({ id: screeningId })
    .first();
  if (!screening || !screening.sales_open) {
    return { ok: false, reason: 'sales_closed' };
  }

  const updated = await knex('seats')
    .where({ screening_id: screeningId, label: seatLabel, status: 'open' })
    .update({
      status: 'held',
      held_by: patronId,
      hold_expires_at: knex.raw(`now() + interval '${HOLD_MINUTES} minutes'`),
    });

  if (updated === 0) {
    return { ok: false, reason: 'seat_taken' };
  }
  return { ok: true, expiresInSeconds: HOLD_MINUTES * 60 };
}

async function confirmSeat(screeningId, seatLabel, patronId, orderId) {
  const updated = await knex('seats')
    .where({ screening_id: screeningId, label: seatLabel, status: 'held', held_by: patronId })
    .andWhere('hold_expires_at', '>', knex.fn.now())
    .update({ status: 'sold', order_id: orderId, hold_expires_at: null });

  if (updated !== 1) {
    const err = new Error('Hold expired or not yours');
    err.status = 409;
    throw err;
  }
}

async function releaseExpiredHolds() {
  const released = await knex('seats')
    .where('status', 'held')
    .andWhere('hold_expires_at', '<', knex.fn.now())
    .update({ status: 'open', held_by: null, hold_expires_at: null });
  if (released > 0) log.info({ released }, 'released expired seat holds');
}

// every minute; the update is idempotent so overlapping runs on two boxes are harmless
cron.schedule('* * * * *', () => {
  releaseExpiredHolds().catch((err) => log.error({ err }, 'hold cleanup failed'));
});

module.exports = { getSeatMap, holdSeat, confirmSeat, releaseExpiredHolds };
