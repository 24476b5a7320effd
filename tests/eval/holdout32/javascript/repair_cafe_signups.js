const express = require('express');
const knex = require('../db/knex');
const { requireFixer, requireOrganiser } = require('../middleware/auth');

const router = express.Router();

const PAGE_SIZE = 25;

class SessionFullError extends Error {}

/**
 * Fixers (volunteer repairers) sign up for a repair café session.
 * Each session has a fixed number of benches; the unique index
 * fixer_signups(event_id, fixer_id) makes a repeated tap harmless.
 */
router.post('/cafes/:cafeId/events/:eventId/signups', requireFixer, async (req, res, next) => {
  const cafeId = Number(req.params.cafeId);
  const eventId = Number(req.params.eventId);
  const { skills = [] } = req.body;

  try {
    const result = await knex.transaction(async (trx) => {
      const inserted = await trx('fixer_signups')
        .insert({ cafe_id: cafeId, event_id: eventId, fixer_id: req.fixer.id, skills: JSON.stringify(skills) })
        .onConflict(['event_id', 'fixer_id'])
        .ignore()
        .returning(['id']);

      if (inserted.length === 0) {
        return { status: 200, body: { alreadySignedUp: true } };
      }

      // Take a bench only if one is free; the WHERE clause makes this a single atomic step.
      const updated = await trx('cafe_events')
        .where({ id: eventId, cafe_id: cafeId })
        .andWhere('benches_taken', '<', knex.ref('bench_count'))
        .increment('benches_taken', 1);

      if (updated === 0) {
        // Throwing rolls back the signup row inserted above.
        throw new SessionFullError();
      }
      return { status: 201, body: { signupId: inserted[0].id } };
    });
    res.status(result.status).json(result.body);
  } catch (err) {
    if (err instanceof SessionFullError) {
      return res.status(409).json({ error: 'All benches are taken for this session' });
    }
    next(err);
  }
});

// Organisers see who's coming, a page at a time.
router.get('/cafes/:cafeId/events/:eventId/signups', requireOrganiser, async (req, res, next) => {
  const cafeId = Number(req.params.cafeId);
  const eventId = Number(req.params.eventId);
  const page = Math.max(1, Number(req.query.page) || 1);

  if (req.organiser.cafeId !== cafeId) {
    return res.status(403).json({ error: 'Not your café' });
  }

  try {
    const rows = await knex('fixer_signups as s')
      .join('fixers as f', 'f.id', 's.fixer_id')
      .where({ 's.cafe_id': cafeId, 's.event_id': eventId })
      .select('s.id', 'f.display_name', 's.skills', 's.created_at')
      .orderBy('s.created_at', 'asc')
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE);
    res.json({ page, pageSize: PAGE_SIZE, signups: rows });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
