// services/tourSlots.js
// Guided-tour places at the Maritime & Lighthouse Museum (Sequelize, Postgres).
// Several museums share this deployment; every query is scoped by museumId.
const { Op, UniqueConstraintError } = require('sequelize');
const { sequelize, TourSlot, TourBooking } = require('../models');
// TourBooking has a unique index on (slot_id, visitor_id), see migration 20240311-tour-bookings.

class ConflictError extends Error {}
class NotFoundError extends Error {}

const MAX_PARTY = 8;
const PAGE_SIZE = 40;

async function listUpcomingSlots(museumId, { after } = {}) {
  return TourSlot.findAll({
    where: {
      museumId,
      startsAt: { [Op.gt]: after ? new Date(after) : new Date() },
      cancelled: false,
    },
    attributes: ['id', 'title', 'language', 'startsAt', 'capacity', 'reserved'],
    order: [['startsAt', 'ASC']],
    limit: PAGE_SIZE,
  });
}

async function reservePlaces({ museumId, slotId, visitorId, partySize }) {
  if (!Number.isInteger(partySize) || partySize < 1 || partySize > MAX_PARTY) {
    throw new RangeError(`party size must be 1-${MAX_PARTY}`);
  }

  try {
    return await sequelize.transaction(async (t) => {
      // Row lock: concurrent reservations for the same slot queue up here.
      const slot = await TourSlot.findOne({
        where: { id: slotId, museumId, cancelled: false },
        lock: t.LOCK.UPDATE,
        transaction: t,
      });
      if (!slot) throw new NotFoundError('tour slot not found');
      if (slot.startsAt <= new Date()) throw new ConflictError('this tour has already started');
      if (slot.capacity - slot.reserved < partySize) {
        throw new ConflictError(`only ${slot.capacity - slot.reserved} places left`);
      }

      const booking = await TourBooking.create(
        { museumId, slotId, visitorId, partySize, status: 'confirmed' },
        { transaction: t }
      );
      await slot.increment('reserved', { by: partySize, transaction: t });

      return { bookingId: booking.id, startsAt: slot.startsAt, partySize };
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) {
      throw new ConflictError('you already have places on this tour');
    }
    throw err;
  }
}

async function cancelBooking({ museumId, bookingId, visitorId }) {
  return sequelize.transaction(async (t) => {
    const booking = await TourBooking.findOne({
      where: { id: bookingId, museumId, visitorId, status: 'confirmed' },
      lock: t.LOCK.UPDATE,
      transaction: t,
    });
    if (!booking) throw new NotFoundError('booking not found');

    await booking.update({ status: 'cancelled' }, { transaction: t });
    await TourSlot.decrement('reserved', {
      by: booking.partySize,
      where: { id: booking.slotId, museumId },
      transaction: t,
    });
    return { cancelled: true };
  });
}

module.exports = { listUpcomingSlots, reservePlaces, cancelBooking, ConflictError, NotFoundError };
