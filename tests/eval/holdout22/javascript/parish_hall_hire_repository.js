// repositories/hallHireRepository.js
// Parish halls are hired by the hour. Each parish is a tenant; staff only
// ever see their own parish's halls and hires.
//
// Schema notes (migration 0014):
//   hall_hires has EXCLUDE USING gist (hall_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
//   WHERE (status = 'CONFIRMED'), so overlapping confirmed hires cannot be stored.

const { Op } = require("sequelize");
const { sequelize, Hall, HallHire } = require("../models");

const MAX_PAGE = 100;
const PROVISIONAL_HOLD_MINUTES = 30;

class HallHireRepository {
  async listHires(parishId, { hallId, from, to, limit = 25, offset = 0 }) {
    return HallHire.findAll({
      where: {
        parishId,
        ...(hallId ? { hallId } : {}),
        startsAt: { [Op.gte]: from, [Op.lt]: to },
      },
      order: [["startsAt", "ASC"]],
      limit: Math.min(Number(limit) || 25, MAX_PAGE),
      offset: Math.max(Number(offset) || 0, 0),
    });
  }

  // Places a provisional hold while the hirer fills in the form and pays the
  // deposit. The hall row is locked so two holds for the same hall serialise.
  async placeHold(parishId, { hallId, startsAt, endsAt, hirerName, hirerEmail }) {
    return sequelize.transaction(async (t) => {
      const hall = await Hall.findOne({
        where: { id: hallId, parishId },
        transaction: t,
        lock: t.LOCK.UPDATE,
      });
      if (!hall) return { ok: false, reason: "NO_SUCH_HALL" };

      const clash = await HallHire.count({
        where: {
          hallId,
          parishId,
          status: { [Op.ne]: "CANCELLED" },
          startsAt: { [Op.lt]: endsAt },
          endsAt: { [Op.gt]: startsAt },
          [Op.or]: [{ holdExpiresAt: null }, { holdExpiresAt: { [Op.gt]: new Date() } }],
        },
        transaction: t,
      });
      if (clash > 0) return { ok: false, reason: "SLOT_TAKEN" };

      const hire = await HallHire.create(
        {
          parishId,
          hallId,
          startsAt,
          endsAt,
          hirerName,
          hirerEmail,
          status: "PROVISIONAL",
          holdExpiresAt: new Date(Date.now() + PROVISIONAL_HOLD_MINUTES * 60_000),
        },
        { transaction: t }
      );
      return { ok: true, hireId: hire.id };
    });
  }

  async confirm(parishId, hireId) {
    const [count] = await HallHire.update(
      { status: "CONFIRMED", holdExpiresAt: null },
      { where: { id: hireId, parishId, status: "PROVISIONAL", holdExpiresAt: { [Op.gt]: new Date() } } }
    );
    return count === 1;
  }

  // Scheduled every 10 minutes by the housekeeping cron: lapsed holds are removed
  // so they neither block the calendar nor pile up in the table.
  async purgeLapsedHolds() {
    return HallHire.destroy({
      where: { status: "PROVISIONAL", holdExpiresAt: { [Op.lt]: new Date() } },
    });
  }
}

module.exports = new HallHireRepository();
