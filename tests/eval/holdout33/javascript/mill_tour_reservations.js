// services/tourReservations.js
// Guided tours of the restored watermill. Each tour has a fixed number of places
// (the stone floor only holds 14 people safely). Several heritage sites share
// this backend, so every query is scoped by mill_id.
const knex = require('../db/knex');
const logger = require('../lib/logger');

const PAGE_SIZE_MAX = 50;

class TourFullError extends Error {
  constructor(tourId) {
    super(`Tour ${tourId} has no places left`);
    this.name = 'TourFullError';
    this.status = 409;
  }
}

async function listUpcomingTours(millId, { after, limit = 20 } = {}) {
  const pageSize = Math.min(Number(limit) || 20, PAGE_SIZE_MAX);
  const query = knex('mill_tours')
    .select('id', 'starts_at', 'guide_name', 'places_left', 'language')
    .where({ mill_id: millId })
    .andWhere('starts_at', '>', knex.fn.now())
    .orderBy([{ column: 'starts_at' }, { column: 'id' }])
    .limit(pageSize + 1);

  if (after) {
    query.andWhere('starts_at', '>', after);
  }

  const rows = await query;
  const hasMore = rows.length > pageSize;
  return { tours: rows.slice(0, pageSize), nextCursor: hasMore ? rows[pageSize - 1].starts_at : null };
}

/**
 * Reserve places on a tour. The decrement only succeeds while enough places
 * remain, so two visitors racing for the last place cannot both get it.
 */
async function reservePlaces({ millId, tourId, visitorName, visitorEmail, places }) {
  if (!Number.isInteger(places) || places < 1 || places > 6) {
    const err = new Error('You can reserve between 1 and 6 places');
    err.status = 400;
    throw err;
  }

  return knex.transaction(async (trx) => {
    const updated = await trx('mill_tours')
      .where({ id: tourId, mill_id: millId })
      .andWhere('places_left', '>=', places)
      .decrement('places_left', places);

    if (updated !== 1) {
      throw new TourFullError(tourId);
    }

    const [reservation] = await trx('tour_reservations')
      .insert({
        mill_id: millId,
        tour_id: tourId,
        visitor_name: visitorName,
        visitor_email: visitorEmail,
        places,
      })
      .returning(['id', 'tour_id', 'places', 'created_at']);

    // Confirmation email goes out via the outbox worker, inside the same
    // transaction, so a rollback never leaves a stray email behind.
    await trx('outbox_messages').insert({
      topic: 'tour.reservation.created',
      payload: JSON.stringify({ reservationId: reservation.id, millId, visitorEmail }),
    });

    return reservation;
  });
}

async function cancelReservation({ millId, reservationId, visitorEmail }) {
  return knex.transaction(async (trx) => {
    const [cancelled] = await trx('tour_reservations')
      .where({ id: reservationId, mill_id: millId, visitor_email: visitorEmail })
      .whereNull('cancelled_at')
      .update({ cancelled_at: trx.fn.now() })
      .returning(['tour_id', 'places']);

    if (!cancelled) {
      return false;
    }

    await trx('mill_tours')
      .where({ id: cancelled.tour_id, mill_id: millId })
      .increment('places_left', cancelled.places);

    logger.info({ millId, reservationId }, 'tour reservation cancelled');
    return true;
  });
}

module.exports = { listUpcomingTours, reservePlaces, cancelReservation, TourFullError };
