// repositories/admissionsRepository.js
// Sequelize repository for the hedgehog rescue hospital network. Each rescue
// hospital is a tenant; staff only ever see their own hospital's patients.
const { Op } = require('sequelize');
const { Admission, Carer, WeightLog, sequelize } = require('../models');

const MAX_PAGE = 100;

class AdmissionsRepository {
  /**
   * Admissions still in care, newest first, keyset-paginated on (admitted_at, id).
   */
  async listInCare(hospitalId, { before, limit = 25 } = {}) {
    const pageSize = Math.min(Number(limit) || 25, MAX_PAGE);
    const where = { hospitalId, releasedAt: null };

    if (before) {
      where[Op.or] = [
        { admittedAt: { [Op.lt]: before.admittedAt } },
        { admittedAt: before.admittedAt, id: { [Op.lt]: before.id } },
      ];
    }

    const admissions = await Admission.findAll({
      where,
      attributes: ['id', 'nickname', 'admittedAt', 'reason', 'carerId', 'currentWeightG'],
      order: [['admittedAt', 'DESC'], ['id', 'DESC']],
      limit: pageSize,
    });

    // One query for all carers on this page rather than one per hedgehog.
    const carerIds = [...new Set(admissions.map((a) => a.carerId).filter(Boolean))];
    const carers = carerIds.length
      ? await Carer.findAll({
          where: { hospitalId, id: { [Op.in]: carerIds } },
          attributes: ['id', 'displayName', 'phone'],
        })
      : [];
    const carersById = new Map(carers.map((c) => [c.id, c]));

    return admissions.map((a) => ({
      ...a.get({ plain: true }),
      carer: carersById.get(a.carerId) || null,
    }));
  }

  async findById(hospitalId, admissionId) {
    return Admission.findOne({ where: { id: admissionId, hospitalId } });
  }

  /**
   * Daily weigh-in. The log row and the cached current weight are written in one
   * transaction; the admission row is locked so two volunteers weighing the same
   * hoglet do not interleave.
   */
  async recordWeight(hospitalId, admissionId, grams, recordedBy) {
    return sequelize.transaction(async (transaction) => {
      const admission = await Admission.findOne({
        where: { id: admissionId, hospitalId },
        lock: transaction.LOCK.UPDATE,
        transaction,
      });
      if (!admission) {
        return null;
      }

      await WeightLog.create(
        { hospitalId, admissionId, grams, recordedBy, recordedAt: new Date() },
        { transaction }
      );

      const gainedSinceAdmission = grams - admission.admissionWeightG;
      await admission.update(
        { currentWeightG: grams, readyForRelease: grams >= 600 && gainedSinceAdmission > 0 },
        { transaction }
      );
      return admission;
    });
  }

  async incrementFeeds(hospitalId, admissionId) {
    // Single UPDATE ... SET feeds_today = feeds_today + 1
    const [, affected] = await Admission.increment('feedsToday', {
      by: 1,
      where: { id: admissionId, hospitalId },
    });
    return affected > 0;
  }

  async weightHistory(hospitalId, admissionId, { days = 30 } = {}) {
    const since = new Date(Date.now() - Math.min(days, 90) * 24 * 3600 * 1000);
    return WeightLog.findAll({
      where: { hospitalId, admissionId, recordedAt: { [Op.gte]: since } },
      attributes: ['grams', 'recordedAt'],
      order: [['recordedAt', 'ASC']],
      limit: 200,
    });
  }
}

module.exports = new AdmissionsRepository();
