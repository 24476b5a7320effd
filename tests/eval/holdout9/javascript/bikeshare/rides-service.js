// services/rideService.js
// Called from routes/rides.js (POST /rides/:id/end, GET /riders/me/rides)
const { Op } = require('sequelize');
const { Rider, Ride, Bike, Station } = require('../models');

const BASE_FARE_CENTS = 100;
const PER_MINUTE_CENTS = 15;

async function endRide(rideId, dockStationId) {
  const ride = await Ride.findByPk(rideId);
  if (!ride || ride.endedAt) {
    const err = new Error('ride not active');
    err.status = 409;
    throw err;
  }

  const endedAt = new Date();
  const minutes = Math.ceil((endedAt - ride.startedAt) / 60000);
  const fare = BASE_FARE_CENTS + minutes * PER_MINUTE_CENTS;

  // charge the rider's prepaid wallet
  const rider = await Rider.findByPk(ride.riderId);
  rider.walletCents = rider.walletCents - fare;
  await rider.save();

  await ride.update({ endedAt, endStationId: dockStationId, fareCents: fare });

  // only flip the bike back if it is still marked in use
  await Bike.update(
    { status: 'docked', stationId: dockStationId },
    { where: { id: ride.bikeId, status: 'in_use' } }
  );

  return { fareCents: fare, walletCents: rider.walletCents };
}

async function rideHistory(riderId, { before } = {}) {
  const where = { riderId };
  if (before) where.startedAt = { [Op.lt]: before };

  const rides = await Ride.findAll({
    where,
    order: [['startedAt', 'DESC']],
    limit: 50,
  });

  const out = [];
  for (const r of rides) {
    const startStation = await Station.findByPk(r.startStationId, { attributes: ['id', 'name'] });
    const endStation = r.endStationId
      ? await Station.findByPk(r.endStationId, { attributes: ['id', 'name'] })
      : null;
    out.push({
      id: r.id,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      fareCents: r.fareCents,
      from: startStation && startStation.name,
      to: endStation && endStation.name,
    });
  }
  return out;
}

module.exports = { endRide, rideHistory };
