// Village hall piano tuning: hall committees pick a tuning visit from the county tuner's
// published calendar. Picking a slot places a 15-minute hold while the committee treasurer
// confirms the fee; confirming turns the hold into a booking.
import { Router } from 'express';
import { knex } from '../db';
import { requireCommittee } from '../auth';

const HOLD_MINUTES = 15;

export const tuningRouter = Router();

tuningRouter.get('/tuners/:tunerId/availability', async (req, res, next) => {
  try {
    const slots = await knex('tuner_slots as s')
      .leftJoin('tuning_holds as h', function () {
        this.on('h.slot_id', '=', 's.id').andOn(knex.raw('h.expires_at > now()'));
      })
      .leftJoin('tuning_bookings as b', 'b.slot_id', 's.id')
      .where('s.tuner_id', req.params.tunerId)
      .andWhere('s.starts_at', '>', knex.fn.now())
      .whereNull('h.id')
      .whereNull('b.id')
      .orderBy('s.starts_at')
      .limit(50)
      .select('s.id', 's.starts_at', 's.area');
    res.json(slots);
  } catch (err) {
    next(err);
  }
});

tuningRouter.post('/halls/:hallId/holds', requireCommittee, async (req, res, next) => {
  const hallId = Number(req.params.hallId);
  const slotId = Number(req.body.slotId);
  try {
    const activeHold = await knex('tuning_holds')
      .where({ slot_id: slotId })
      .andWhere('expires_at', '>', knex.fn.now())
      .first('id', 'hall_id');
    const booking = await knex('tuning_bookings').where({ slot_id: slotId }).first('id');

    if (booking || (activeHold && activeHold.hall_id !== hallId)) {
      return res.status(409).json({ error: 'Slot no longer available' });
    }
    if (activeHold) {
      return res.json({ holdId: activeHold.id });
    }

    const [hold] = await knex('tuning_holds').insert({
      slot_id: slotId,
      hall_id: hallId,
      held_by: req.user.id,
      expires_at: knex.raw(`now() + interval '${HOLD_MINUTES} minutes'`),
    }).returning(['id', 'expires_at']);

    res.status(201).json({ holdId: hold.id, expiresAt: hold.expires_at });
  } catch (err) {
    next(err);
  }
});

tuningRouter.post('/halls/:hallId/holds/:holdId/confirm', requireCommittee, async (req, res, next) => {
  try {
    const booking = await knex.transaction(async (trx) => {
      const hold = await trx('tuning_holds')
        .where({ id: req.params.holdId, hall_id: req.params.hallId })
        .andWhere('expires_at', '>', trx.fn.now())
        .forUpdate()
        .first();
      if (!hold) return null;

      const [created] = await trx('tuning_bookings')
        .insert({ slot_id: hold.slot_id, hall_id: hold.hall_id, confirmed_by: req.user.id })
        .onConflict('slot_id')
        .ignore()
        .returning(['id', 'slot_id']);
      await trx('tuning_holds').where({ id: hold.id }).update({ expires_at: trx.fn.now() });
      return created ?? null;
    });

    if (!booking) return res.status(409).json({ error: 'Hold expired or slot already booked' });
    res.status(201).json(booking);
  } catch (err) {
    next(err);
  }
});
