// services/appointmentService.js -- dog grooming salons (multi-salon SaaS, every row has salonId)
'use strict';

const { Op } = require('sequelize');
const { sequelize, Appointment, Groomer, Pet, LoyaltyAccount } = require('../models');
const { ConflictError, NotFoundError } = require('../errors');

const PAGE_SIZE = 25;

/**
 * Book a grooming slot. The groomer row is locked (SELECT ... FOR UPDATE) for the
 * duration of the transaction, so two front-desk tablets booking the same groomer
 * serialize here and the overlap check below is reliable.
 */
async function bookAppointment({ salonId, groomerId, petId, startsAt, durationMin, service }) {
  const start = new Date(startsAt);
  const end = new Date(start.getTime() + durationMin * 60 * 1000);

  return sequelize.transaction(async (t) => {
    const groomer = await Groomer.findOne({
      where: { id: groomerId, salonId, active: true },
      lock: t.LOCK.UPDATE,
      transaction: t,
    });
    if (!groomer) throw new NotFoundError('groomer');

    const overlapping = await Appointment.count({
      where: {
        salonId,
        groomerId,
        status: { [Op.ne]: 'cancelled' },
        startsAt: { [Op.lt]: end },
        endsAt: { [Op.gt]: start },
      },
      transaction: t,
    });
    if (overlapping > 0) throw new ConflictError('groomer is already booked at that time');

    return Appointment.create(
      { salonId, groomerId, petId, service, startsAt: start, endsAt: end, status: 'booked' },
      { transaction: t }
    );
  });
}

async function listAppointments(salonId, { day, page = 1 }) {
  const from = new Date(`${day}T00:00:00Z`);
  const to = new Date(from.getTime() + 24 * 3600 * 1000);
  return Appointment.findAll({
    where: { salonId, startsAt: { [Op.gte]: from, [Op.lt]: to } },
    include: [{ model: Pet, attributes: ['id', 'name', 'breed', 'coatNotes'] }],
    order: [['startsAt', 'ASC']],
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
}

async function cancelAppointment(salonId, appointmentId) {
  const [count] = await Appointment.update(
    { status: 'cancelled', cancelledAt: new Date() },
    { where: { id: appointmentId, salonId, status: 'booked' } }
  );
  if (count === 0) throw new ConflictError('appointment not found or already finished');
}

/** Called when the groomer marks the appointment done: 1 stamp per visit, atomically. */
async function completeAppointment(salonId, appointmentId) {
  return sequelize.transaction(async (t) => {
    const [count] = await Appointment.update(
      { status: 'done', finishedAt: new Date() },
      { where: { id: appointmentId, salonId, status: 'booked' }, transaction: t }
    );
    if (count === 0) throw new ConflictError('appointment not open');
    const appt = await Appointment.findOne({ where: { id: appointmentId, salonId }, transaction: t });
    await LoyaltyAccount.increment('stamps', {
      by: 1,
      where: { salonId, petId: appt.petId },
      transaction: t,
    });
  });
}

module.exports = { bookAppointment, listAppointments, cancelAppointment, completeAppointment };
