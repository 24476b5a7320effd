// services/waitlist.js — allotment garden plot waiting lists (Sequelize, Postgres)
//
// Each council runs its own allotment sites on the shared platform, so every model
// is scoped by councilId. waitlist_entries has UNIQUE (council_id, site_id, resident_id).
const { Op, UniqueConstraintError } = require('sequelize');
const { sequelize, WaitlistEntry, Plot } = require('../models');
const log = require('../lib/log');

async function joinWaitlist({ councilId, siteId, residentId }) {
  try {
    const entry = await WaitlistEntry.create({ councilId, siteId, residentId });
    return { entry, created: true };
  } catch (err) {
    if (err instanceof UniqueConstraintError) {
      // already queued for this site: return the existing entry instead of failing
      const entry = await WaitlistEntry.findOne({ where: { councilId, siteId, residentId } });
      return { entry, created: false };
    }
    log.error({ err, councilId, siteId }, 'joinWaitlist failed');
    throw err;
  }
}

async function positionOf({ councilId, siteId, entryId }) {
  const entry = await WaitlistEntry.findOne({ where: { id: entryId, councilId, siteId } });
  if (!entry) return null;
  const ahead = await WaitlistEntry.count({
    where: { councilId, siteId, status: 'waiting', createdAt: { [Op.lt]: entry.createdAt } },
  });
  return ahead + 1;
}

/**
 * Offer a vacant plot to the next person in line. The conditional UPDATE makes sure
 * two site secretaries clicking "offer" at the same time can't hand out one plot twice.
 */
async function offerPlot({ councilId, siteId, plotId }) {
  return sequelize.transaction(async (transaction) => {
    const next = await WaitlistEntry.findOne({
      where: { councilId, siteId, status: 'waiting' },
      order: [['createdAt', 'ASC']],
      lock: transaction.LOCK.UPDATE,
      skipLocked: true,
      transaction,
    });
    if (!next) return null;

    const [claimed] = await Plot.update(
      { status: 'offered', offeredTo: next.residentId },
      { where: { id: plotId, councilId, siteId, status: 'vacant' }, transaction }
    );
    if (claimed === 0) return null;

    await next.update({ status: 'offered' }, { transaction });
    return { plotId, residentId: next.residentId };
  });
}

async function listWaiting({ councilId, siteId, page = 1, pageSize = 50 }) {
  const size = Math.min(pageSize, 100);
  return WaitlistEntry.findAndCountAll({
    where: { councilId, siteId, status: 'waiting' },
    order: [['createdAt', 'ASC']],
    limit: size,
    offset: (Math.max(page, 1) - 1) * size,
  });
}

module.exports = { joinWaitlist, positionOf, offerPlot, listWaiting };
