// Kiln rental endpoints for the studio portal.
// knex instance is shared (pool min 2 / max 10), see db/knex.js
const express = require('express');
const createError = require('http-errors');
const knex = require('../db/knex');
const { requireMember } = require('../auth');

const router = express.Router();

// approximate firing durations by cone, in hours (incl. cool-down)
const FIRING_HOURS = { '04': 14, '06': 12, '5': 18, '6': 20, '10': 26 };

router.get('/kilns/:kilnId/firings', requireMember, async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 25, 100);
  const offset = Math.max(Number(req.query.offset) || 0, 0);
  try {
    const rows = await knex('firings')
      .where({ kiln_id: req.params.kilnId, studio_id: req.member.studioId })
      .andWhere('ends_at', '>', knex.fn.now())
      .orderBy('starts_at')
      .limit(limit)
      .offset(offset);
    res.json({ items: rows, limit, offset });
  } catch (err) {
    next(err);
  }
});

router.post('/kilns/:kilnId/firings', requireMember, async (req, res, next) => {
  const { cone } = req.body;
  const startsAt = new Date(req.body.startsAt);
  const hours = FIRING_HOURS[cone];
  if (!hours || Number.isNaN(startsAt.getTime())) {
    return next(createError(400, 'cone and startsAt are required'));
  }
  const endsAt = new Date(startsAt.getTime() + hours * 3600 * 1000);
  const studioId = req.member.studioId;

  try {
    const firing = await knex.transaction(async (trx) => {
      // Lock the kiln row so concurrent bookings for this kiln queue up here.
      const kiln = await trx('kilns')
        .where({ id: req.params.kilnId, studio_id: studioId })
        .forUpdate()
        .first();
      if (!kiln) throw createError(404, 'kiln not found');
      if (kiln.out_of_service) throw createError(409, 'kiln is out of service');

      const clash = await trx('firings')
        .where({ kiln_id: kiln.id })
        .andWhere('starts_at', '<', endsAt)
        .andWhere('ends_at', '>', startsAt)
        .first('id');
      if (clash) throw createError(409, 'kiln already booked for that window');

      // one firing credit per booking; conditional so it can't go negative
      const debited = await trx('memberships')
        .where({ id: req.member.membershipId, studio_id: studioId })
        .andWhere('firing_credits', '>', 0)
        .decrement('firing_credits', 1);
      if (debited === 0) throw createError(402, 'no firing credits left');

      const [row] = await trx('firings')
        .insert({
          kiln_id: kiln.id,
          studio_id: studioId,
          member_id: req.member.id,
          cone,
          starts_at: startsAt,
          ends_at: endsAt,
        })
        .returning(['id', 'starts_at', 'ends_at', 'cone']);
      return row;
    });
    res.status(201).json(firing);
  } catch (err) {
    next(err);
  }
});

router.delete('/firings/:id', requireMember, async (req, res, next) => {
  try {
    const n = await knex('firings')
      .where({ id: req.params.id, studio_id: req.member.studioId, member_id: req.member.id })
      .andWhere('starts_at', '>', knex.fn.now())
      .del();
    if (n === 0) return next(createError(404, 'no upcoming firing with that id'));
    res.sendStatus(204);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
