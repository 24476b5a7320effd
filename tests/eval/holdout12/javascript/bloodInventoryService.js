/**
 * Good catch - the original `reserveUnits` loaded the inventory row, subtracted in JavaScript and
 * called `save()`, so two wards requesting O-neg at the same moment could both "succeed" and
 * drive `available` negative.
 *
 * Here's the fixed version of the service. The decrement is now a single conditional UPDATE,
 * and the reservation is only created if that UPDATE actually matched a row.
 */
const { QueryTypes } = require('sequelize');
const { sequelize, BloodType, InventoryLevel, UnitReservation } = require('../models');
const logger = require('../lib/logger');

// Models, for reference:
//   BloodType       (id, abo, rh, label)          -- global reference table, no hospital column
//   InventoryLevel  (id, hospital_id, blood_type_id, component, available, updated_at)
//   UnitReservation (id, hospital_id, inventory_level_id, request_id, units, created_at)

class OutOfStockError extends Error {}

async function reserveUnits({ hospitalId, bloodTypeId, component, requestId, units }) {
  if (!Number.isInteger(units) || units <= 0) {
    throw new RangeError('units must be a positive integer');
  }

  try {
    return await sequelize.transaction(async (transaction) => {
      const [rows, rowCount] = await sequelize.query(
        `UPDATE inventory_levels
            SET available = available - :units, updated_at = now()
          WHERE hospital_id = :hospitalId
            AND blood_type_id = :bloodTypeId
            AND component = :component
            AND available >= :units
          RETURNING id, available`,
        {
          replacements: { units, hospitalId, bloodTypeId, component },
          type: QueryTypes.UPDATE,
          transaction,
        }
      );
      if (rowCount === 0) {
        throw new OutOfStockError(`not enough ${component} units of type ${bloodTypeId}`);
      }

      const reservation = await UnitReservation.create(
        { hospitalId, inventoryLevelId: rows[0].id, requestId, units },
        { transaction }
      );
      return { reservation, remaining: rows[0].available };
    });
  } catch (err) {
    if (err instanceof OutOfStockError) throw err;
    logger.error({ err, hospitalId, requestId }, 'reserveUnits failed');
    throw err;
  }
}

async function releaseReservation({ hospitalId, reservationId }) {
  return sequelize.transaction(async (transaction) => {
    const reservation = await UnitReservation.findOne({
      where: { id: reservationId, hospitalId },
      lock: transaction.LOCK.UPDATE,
      transaction,
    });
    if (!reservation) return false;

    await InventoryLevel.increment('available', {
      by: reservation.units,
      where: { id: reservation.inventoryLevelId, hospitalId },
      transaction,
    });
    await reservation.destroy({ transaction });
    return true;
  });
}

// One row per blood type x component for this hospital (~32 rows).
function listInventory(hospitalId) {
  return InventoryLevel.findAll({
    where: { hospitalId },
    include: [{ model: BloodType, attributes: ['abo', 'rh', 'label'] }],
    order: [['bloodTypeId', 'ASC'], ['component', 'ASC']],
  });
}

function describeBloodType(bloodTypeId) {
  return BloodType.findByPk(bloodTypeId, { attributes: ['id', 'abo', 'rh', 'label'] });
}

module.exports = { reserveUnits, releaseReservation, listInventory, describeBloodType, OutOfStockError };
