/**
 * Appointment booking routes (Express + Knex on Postgres).
 *
 * - Every query is scoped by clinic_id: a clinic's staff must never see another clinic's data.
 * - Booking a slot happens inside a transaction with SELECT ... FOR UPDATE on the slot row,
 *   so two patients hitting "Book" at the same time can't both get it.
 * - Cancellation is a conditional UPDATE, checked by affected row count.
 */
const express = require('express');
const knex = require('../db/knex');
const { requireClinicMember } = require('../middleware/auth');

const router = express.Router();
router.use('/clinics/:clinicId', requireClinicMember);

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// GET /clinics/:clinicId/slots?date=2024-05-02&practitionerId=...
router.get('/clinics/:clinicId/slots', async (req, res, next) => {
  try {
    const { clinicId } = req.params;
    const { date, practitionerId } = req.query;
    const slots = await knex('slots')
      .where({ clinic_id: clinicId, practitioner_id: practitionerId, status: 'open' })
      .whereRaw('starts_at::date = ?', [date])
      .orderBy('starts_at')
      .limit(100);
    res.json(slots);
  } catch (err) {
    next(err);
  }
});

// POST /clinics/:clinicId/appointments  { slotId, patientId, reason }
router.post('/clinics/:clinicId/appointments', async (req, res, next) => {
  const { clinicId } = req.params;
  const { slotId, patientId, reason } = req.body;
  try {
    const appointment = await knex.transaction(async (trx) => {
      const slot = await trx('slots')
        .where({ id: slotId, clinic_id: clinicId })
        .forUpdate()
        .first();
      if (!slot) throw new HttpError(404, 'Slot not found');
      if (slot.status !== 'open') throw new HttpError(409, 'Slot already taken');

      await trx('slots').where({ id: slotId, clinic_id: clinicId }).update({ status: 'booked' });
      const [row] = await trx('appointments')
        .insert({ clinic_id: clinicId, slot_id: slotId, patient_id: patientId, reason, status: 'confirmed' })
        .returning('*');
      return row;
    });
    res.status(201).json(appointment);
  } catch (err) {
    if (err instanceof HttpError) return res.status(err.status).json({ error: err.message });
    next(err);
  }
});

// POST /clinics/:clinicId/appointments/:id/cancel
router.post('/clinics/:clinicId/appointments/:id/cancel', async (req, res, next) => {
  const { clinicId, id } = req.params;
  try {
    const cancelled = await knex.transaction(async (trx) => {
      const rows = await trx('appointments')
        .where({ id, clinic_id: clinicId, status: 'confirmed' })
        .update({ status: 'cancelled', cancelled_at: trx.fn.now() })
        .returning(['slot_id']);
      if (rows.length === 0) return false;
      await trx('slots').where({ id: rows[0].slot_id, clinic_id: clinicId }).update({ status: 'open' });
      return true;
    });
    if (!cancelled) return res.status(409).json({ error: 'Appointment not found or not cancellable' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

// GET /clinics/:clinicId/patients/:patientId/appointments?page=1
router.get('/clinics/:clinicId/patients/:patientId/appointments', async (req, res, next) => {
  const { clinicId, patientId } = req.params;
  const page = Math.max(1, parseInt(req.query.page, 10) || 1);
  const pageSize = 25;
  try {
    const rows = await knex('appointments as a')
      .join('slots as s', 's.id', 'a.slot_id')
      .where({ 'a.clinic_id': clinicId, 'a.patient_id': patientId })
      .select('a.id', 'a.status', 'a.reason', 's.starts_at', 's.practitioner_id')
      .orderBy('s.starts_at', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    res.json({ page, items: rows });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
