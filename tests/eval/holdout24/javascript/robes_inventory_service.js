// Cathedral choir robes: cassocks and surplices issued to choristers for the season.
// Service is used by the vestry admin pages (Express, 2 instances behind the diocese LB).

class OutOfStockError extends Error {}

class RobeInventoryService {
  constructor({ models, logger }) {
    this.models = models;
    this.logger = logger;
  }

  async issueRobe({ robeTypeId, size, choristerId }) {
    const { RobeStock, RobeIssue } = this.models;

    const stock = await RobeStock.findOne({ where: { robeTypeId, size } });
    if (!stock || stock.available < 1) {
      throw new OutOfStockError(`no ${size} left for robe type ${robeTypeId}`);
    }

    stock.available = stock.available - 1;
    stock.lastIssuedAt = new Date();
    await stock.save();

    const issue = await RobeIssue.create({
      robeTypeId,
      size,
      choristerId,
      issuedAt: new Date(),
      status: 'issued',
    });
    this.logger.info({ issueId: issue.id, choristerId }, 'robe issued');
    return issue;
  }

  async returnRobe(issueId) {
    const { RobeStock, RobeIssue, sequelize } = this.models;
    return sequelize.transaction(async (transaction) => {
      const issue = await RobeIssue.findByPk(issueId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!issue || issue.status !== 'issued') return null;
      issue.status = 'returned';
      issue.returnedAt = new Date();
      await issue.save({ transaction });
      await RobeStock.increment('available', {
        by: 1,
        where: { robeTypeId: issue.robeTypeId, size: issue.size },
        transaction,
      });
      return issue;
    });
  }

  async markForLaundry(issueIds) {
    const { RobeIssue } = this.models;
    try {
      const [count] = await RobeIssue.update(
        { status: 'laundry', laundrySentAt: new Date() },
        { where: { id: issueIds, status: 'returned' } },
      );
      return { ok: true, count };
    } catch (e) {
      return { ok: true, count: 0 };
    }
  }

  async outstandingForSeason(seasonId, { page = 1, perPage = 50 } = {}) {
    const { RobeIssue } = this.models;
    const limit = Math.min(perPage, 100);
    return RobeIssue.findAndCountAll({
      where: { seasonId, status: 'issued' },
      order: [['issuedAt', 'ASC']],
      limit,
      offset: (page - 1) * limit,
    });
  }
}

module.exports = { RobeInventoryService, OutOfStockError };
