// judging-service/routes/judging.js
// Started with `pm2 start server.js -i 4` on the judging box (cluster mode, 4 workers).

const express = require('express');
const knex = require('../db/knex');
const { requireJudge } = require('../middleware/auth');

const router = express.Router();

// submissionId -> { judgeId, claimedAt }; keeps two judges from reviewing the same demo
const claims = new Map();
const CLAIM_TTL_MS = 15 * 60 * 1000;

router.post('/events/:eventId/submissions/:id/claim', requireJudge, (req, res) => {
  const id = req.params.id;
  const c = claims.get(id);
  if (c && c.judgeId !== req.judge.id && Date.now() - c.claimedAt < CLAIM_TTL_MS) {
    return res.status(409).json({ error: 'being reviewed by another judge' });
  }
  claims.set(id, { judgeId: req.judge.id, claimedAt: Date.now() });
  res.json({ claimed: true, expiresInMs: CLAIM_TTL_MS });
});

router.post('/events/:eventId/submissions/:id/scores', requireJudge, async (req, res, next) => {
  const { eventId, id } = req.params;
  const { innovation, execution, design, impact, notes } = req.body;
  for (const v of [innovation, execution, design, impact]) {
    if (!Number.isInteger(v) || v < 1 || v > 10) {
      return res.status(400).json({ error: 'scores are integers 1-10' });
    }
  }

  try {
    const already = await knex('scores')
      .where({ event_id: eventId, submission_id: id, judge_id: req.judge.id })
      .first('id');
    if (already) {
      return res.status(409).json({ error: 'you already scored this submission' });
    }

    const [row] = await knex('scores')
      .insert({
        event_id: eventId,
        submission_id: id,
        judge_id: req.judge.id,
        innovation, execution, design, impact,
        total: innovation + execution + design + impact,
        notes: notes || null,
      })
      .returning(['id', 'total']);

    claims.delete(id);
    res.status(201).json(row);
  } catch (err) {
    next(err);
  }
});

// finalists page reads the snapshot written by the tally job every 5 min
router.get('/events/:eventId/leaderboard', async (req, res, next) => {
  try {
    const rows = await knex('leaderboard_snapshots')
      .where({ event_id: req.params.eventId })
      .orderBy('rank')
      .limit(50)
      .select('rank', 'submission_id', 'team_name', 'avg_total', 'judge_count', 'computed_at');
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
