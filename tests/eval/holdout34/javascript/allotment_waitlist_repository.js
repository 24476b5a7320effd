'use strict';

// repositories/allotmentWaitlist.js
// Parish council allotment waiting lists. The app is hosted for several parish
// councils; every row carries council_id and every query is scoped by it.

const { Op, UniqueConstraintError } = require('sequelize');
const { sequelize, WaitlistEntry, Plot } = require('../models');

const DEFAULT_PAGE = 25;
const MAX_PAGE = 100;

class AllotmentWaitlistRepository {
  constructor(councilId) {
    if (!councilId) throw new Error('councilId is required');
    this.councilId = councilId;
  }

  async listWaiting({ limit = DEFAULT_PAGE, afterPosition = 0 } = {}) {
    return WaitlistEntry.findAll({
      where: {
        councilId: this.councilId,
        status: 'waiting',
        position: { [Op.gt]: afterPosition },
      },
      order: [['position', 'ASC']],
      limit: Math.min(limit, MAX_PAGE),
      attributes: ['id', 'residentId', 'position', 'preferredSite', 'joinedAt'],
    });
  }

  async findByResidents(residentIds) {
    if (residentIds.length === 0) return [];
    if (residentIds.length > MAX_PAGE) throw new RangeError(`at most ${MAX_PAGE} residents per lookup`);
    // one query with IN (...) for the whole batch
    return WaitlistEntry.findAll({
      where: { councilId: this.councilId, residentId: { [Op.in]: residentIds } },
    });
  }

  async join(residentId, preferredSite) {
    try {
      // unique index on (council_id, resident_id) guards against double sign-up;
      // position comes from a per-council sequence in the DB default.
      return await WaitlistEntry.create({
        councilId: this.councilId,
        residentId,
        preferredSite,
        status: 'waiting',
      });
    } catch (err) {
      if (err instanceof UniqueConstraintError) {
        return WaitlistEntry.findOne({ where: { councilId: this.councilId, residentId } });
      }
      throw err;
    }
  }

  /**
   * Offer a vacant plot to the person at the head of the list. Both rows are
   * locked inside one transaction so two clerks cannot offer the same plot.
   */
  async offerPlot(plotId) {
    return sequelize.transaction(async (transaction) => {
      const plot = await Plot.findOne({
        where: { id: plotId, councilId: this.councilId, status: 'vacant' },
        lock: transaction.LOCK.UPDATE,
        transaction,
      });
      if (!plot) return null;

      const head = await WaitlistEntry.findOne({
        where: { councilId: this.councilId, status: 'waiting', preferredSite: plot.site },
        order: [['position', 'ASC']],
        lock: transaction.LOCK.UPDATE,
        skipLocked: true,
        transaction,
      });
      if (!head) return null;

      await plot.update({ status: 'offered', offeredTo: head.residentId }, { transaction });
      await head.update({ status: 'offered', offeredPlotId: plot.id }, { transaction });
      return { plotId: plot.id, residentId: head.residentId };
    });
  }
}

module.exports = { AllotmentWaitlistRepository };
