// routes/results.js
// Results API for the club orienteering platform. Every club organises its own
// events; a club admin only ever sees and edits results of their own club.
const express = require('express');
const knex = require('../db/knex'); // shared instance, pool: { min: 2, max: 20 }
const { requireAuth, requireRole } = require('../auth');

const router = express.Router();
const MAX_PAGE_SIZE = 100;
const STATUSES = new Set(['OK', 'MP', 'DNF', 'DSQ', 'DNS']);

router.get('/events/:eventId/results', requireAuth, async (req, res, next) => {
  const { clubId } = req.user;
  const pageSize = Math.min(parseInt(req.query.pageSize, 10) || 50, MAX_PAGE_SIZE);
  const page = Math.max(parseInt(req.query.page, 10) || 1, 1);

  try {
    const event = await knex('events')
      .where({ id: req.params.eventId, club_id: clubId })
      .first('id', 'name', 'held_on');
    if (!event) return res.status(404).json({ error: 'event not found' });

    const results = await knex('results')
      .where({ event_id: event.id, club_id: clubId })
      .modify((q) => {
        if (req.query.course) q.andWhere('course_code', String(req.query.course));
      })
      .orderBy([{ column: 'status_rank' }, { column: 'elapsed_seconds' }, { column: 'id' }])
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .select('id', 'competitor_name', 'si_card', 'course_code', 'elapsed_seconds', 'status');

    // Splits for the whole page in one round trip, grouped in memory.
    const ids = results.map((r) => r.id);
    const splits = ids.length
      ? await knex('splits')
          .whereIn('result_id', ids)
          .andWhere('club_id', clubId)
          .orderBy([{ column: 'result_id' }, { column: 'control_seq' }])
          .select('result_id', 'control_code', 'split_seconds')
      : [];

    const splitsByResult = new Map();
    for (const s of splits) {
      if (!splitsByResult.has(s.result_id)) splitsByResult.set(s.result_id, []);
      splitsByResult.get(s.result_id).push({ control: s.control_code, seconds: s.split_seconds });
    }

    res.json({
      event,
      page,
      pageSize,
      results: results.map((r) => ({ ...r, splits: splitsByResult.get(r.id) || [] })),
    });
  } catch (err) {
    next(err);
  }
});

// Organisers fix a status after a protest (e.g. a mispunch that was the
// control's fault). Single conditional UPDATE, scoped to the club.
router.patch('/results/:resultId/status', requireAuth, requireRole('organiser'), async (req, res, next) => {
  const { status, reason } = req.body || {};
  if (!STATUSES.has(status) || !reason) {
    return res.status(400).json({ error: 'status and reason are required' });
  }
  try {
    const updated = await knex('results')
      .where({ id: req.params.resultId, club_id: req.user.clubId })
      .update({
        status,
        status_reason: String(reason).slice(0, 500),
        updated_by: req.user.id,
        updated_at: knex.fn.now(),
      });
    if (updated === 0) return res.status(404).json({ error: 'result not found' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
