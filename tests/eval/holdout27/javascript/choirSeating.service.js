// services/choirSeating.js
// Seat reservations for the Harbourside Community Choir's concerts.
// Members pick a seat for a guest from the hall plan; one guest per seat.

const { DataTypes, Op } = require('sequelize');
const sequelize = require('../db/sequelize');

const HALL_MAX_SEATS = 420;

const ConcertSeat = sequelize.define(
  'ConcertSeat',
  {
    concertId: { type: DataTypes.INTEGER, allowNull: false },
    seatCode: { type: DataTypes.STRING(8), allowNull: false }, // e.g. "B14"
    section: { type: DataTypes.STRING(16), allowNull: false },
    reservedBy: { type: DataTypes.INTEGER, allowNull: true }, // member id
    guestName: { type: DataTypes.STRING(80), allowNull: true },
    reservedAt: { type: DataTypes.DATE, allowNull: true },
  },
  {
    tableName: 'concert_seats',
    indexes: [{ unique: true, fields: ['concertId', 'seatCode'] }],
  }
);

class SeatTakenError extends Error {}
class SeatNotFoundError extends Error {}

/** Seat plan for one concert (the hall has a fixed number of seats). */
async function getSeatPlan(concertId) {
  return ConcertSeat.findAll({
    where: { concertId },
    attributes: ['seatCode', 'section', 'reservedBy'],
    order: [['section', 'ASC'], ['seatCode', 'ASC']],
    limit: HALL_MAX_SEATS,
  });
}

/**
 * Reserve a seat for a member's guest. The seat row is locked for the
 * duration of the transaction so two members can't both get "B14".
 */
async function reserveSeat({ concertId, seatCode, memberId, guestName }) {
  return sequelize.transaction(async (t) => {
    const seat = await ConcertSeat.findOne({
      where: { concertId, seatCode },
      lock: t.LOCK.UPDATE,
      transaction: t,
    });
    if (!seat) throw new SeatNotFoundError(`No seat ${seatCode} for concert ${concertId}`);
    if (seat.reservedBy !== null) throw new SeatTakenError(`${seatCode} is already reserved`);

    seat.reservedBy = memberId;
    seat.guestName = guestName;
    seat.reservedAt = new Date();
    await seat.save({ transaction: t });
    return seat;
  });
}

/** Release a seat; only the member who reserved it can release it. */
async function releaseSeat({ concertId, seatCode, memberId }) {
  const [updated] = await ConcertSeat.update(
    { reservedBy: null, guestName: null, reservedAt: null },
    { where: { concertId, seatCode, reservedBy: memberId } }
  );
  if (updated === 0) {
    throw new SeatNotFoundError(`No reservation on ${seatCode} for this member`);
  }
}

/** How many seats are still free, shown on the concert page. */
async function freeSeatCount(concertId) {
  return ConcertSeat.count({ where: { concertId, reservedBy: { [Op.is]: null } } });
}

module.exports = {
  ConcertSeat,
  SeatTakenError,
  SeatNotFoundError,
  getSeatPlan,
  reserveSeat,
  releaseSeat,
  freeSeatCount,
};
