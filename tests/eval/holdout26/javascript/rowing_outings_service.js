// services/outingService.js
// Boat outings for the rowing club platform. Several clubs share the database,
// every table carries club_id. A boat can only be on one outing per time block.
const { Op } = require('sequelize');
const { sequelize, Boat, Outing, OutingCrew } = require('../models');
const logger = require('../lib/logger');

const PAGE_SIZE_MAX = 50;

class BoatUnavailableError extends Error {}

/**
 * Books a boat for an outing. The boat row is locked for the duration of the
 * transaction so two coxes booking the same quad at once are serialised, and
 * the (boat_id, block_start) unique index is the last line of defence.
 */
async function bookOuting(clubId, { boatId, blockStart, coxId, crewIds }) {
  return sequelize.transaction(async (t) => {
    const boat = await Boat.findOne({
      where: { id: boatId, clubId, retired: false },
      lock: t.LOCK.UPDATE,
      transaction: t,
    });
    if (!boat) {
      throw new BoatUnavailableError('boat not found for this club');
    }
    if (crewIds.length + 1 > boat.seats) {
      throw new BoatUnavailableError(`${boat.name} seats ${boat.seats}`);
    }

    const clash = await Outing.count({
      where: { clubId, boatId, blockStart, cancelledAt: null },
      transaction: t,
    });
    if (clash > 0) {
      throw new BoatUnavailableError(`${boat.name} is already out in that block`);
    }

    const outing = await Outing.create(
      { clubId, boatId, blockStart, coxId },
      { transaction: t }
    );
    await OutingCrew.bulkCreate(
      crewIds.map((memberId) => ({ clubId, outingId: outing.id, memberId })),
      { transaction: t }
    );
    return outing;
  });
}

/** Lists upcoming outings for one club, newest block first, keyset paginated. */
async function listOutings(clubId, { before, limit = 20 } = {}) {
  const pageSize = Math.min(Math.max(Number(limit) || 20, 1), PAGE_SIZE_MAX);
  const where = { clubId, cancelledAt: null };
  if (before) {
    where.blockStart = { [Op.lt]: new Date(before) };
  }

  const rows = await Outing.findAll({
    where,
    include: [
      { model: Boat, attributes: ['id', 'name', 'seats'] },
      { model: OutingCrew, attributes: ['memberId'] },
    ],
    order: [['blockStart', 'DESC']],
    limit: pageSize,
  });

  const next = rows.length === pageSize ? rows[rows.length - 1].blockStart : null;
  return { outings: rows, next };
}

async function cancelOuting(clubId, outingId, byMemberId) {
  try {
    const [count] = await Outing.update(
      { cancelledAt: new Date(), cancelledBy: byMemberId },
      { where: { id: outingId, clubId, cancelledAt: null } }
    );
    return count === 1;
  } catch (err) {
    logger.error({ err, clubId, outingId }, 'cancelOuting failed');
    throw err;
  }
}

module.exports = { bookOuting, listOutings, cancelOuting, BoatUnavailableError };
