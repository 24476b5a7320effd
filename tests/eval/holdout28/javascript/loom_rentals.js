// services/loomRentalService.js
// Tapestry weaving guilds rent out their floor looms by the week. Each guild is a tenant;
// every query is scoped by guildId taken from the signed-in member.
const { Op } = require('sequelize');
const { sequelize, Loom, LoomRental } = require('../models');

class RentalConflictError extends Error {
  constructor(message) {
    super(message);
    this.status = 409;
  }
}

class LoomRentalService {
  /**
   * Rent a loom for [startDate, endDate). The loom row is locked FOR UPDATE inside the
   * transaction, so two members renting the same loom are serialised and the overlap
   * check below sees the other's committed rental.
   */
  async rent({ guildId, memberId, loomId, startDate, endDate, warpNotes }) {
    if (!(new Date(startDate) < new Date(endDate))) {
      throw Object.assign(new Error('endDate must be after startDate'), { status: 400 });
    }

    return sequelize.transaction(async (t) => {
      const loom = await Loom.findOne({
        where: { id: loomId, guildId, retired: false },
        lock: t.LOCK.UPDATE,
        transaction: t,
      });
      if (!loom) {
        throw Object.assign(new Error('Loom not found'), { status: 404 });
      }

      const overlapping = await LoomRental.count({
        where: {
          guildId,
          loomId,
          status: { [Op.in]: ['reserved', 'active'] },
          startDate: { [Op.lt]: endDate },
          endDate: { [Op.gt]: startDate },
        },
        transaction: t,
      });
      if (overlapping > 0) {
        throw new RentalConflictError('Loom already rented for part of that period');
      }

      return LoomRental.create(
        {
          guildId,
          loomId,
          memberId,
          startDate,
          endDate,
          weeklyFee: loom.weeklyFee,
          warpNotes: (warpNotes || '').slice(0, 1000),
          status: 'reserved',
        },
        { transaction: t }
      );
    });
  }

  async listForMember({ guildId, memberId, page = 1, pageSize = 20 }) {
    const limit = Math.min(pageSize, 50);
    const { rows, count } = await LoomRental.findAndCountAll({
      where: { guildId, memberId },
      include: [{ model: Loom, attributes: ['id', 'name', 'widthCm', 'shafts'] }],
      order: [['startDate', 'DESC']],
      limit,
      offset: (Math.max(page, 1) - 1) * limit,
    });
    return { rentals: rows, total: count, page };
  }

  async cancel({ guildId, memberId, rentalId }) {
    const [updated] = await LoomRental.update(
      { status: 'cancelled', cancelledAt: new Date() },
      { where: { id: rentalId, guildId, memberId, status: 'reserved' } }
    );
    if (updated === 0) {
      throw new RentalConflictError('Only reserved rentals can be cancelled');
    }
  }
}

module.exports = { LoomRentalService, RentalConflictError };
