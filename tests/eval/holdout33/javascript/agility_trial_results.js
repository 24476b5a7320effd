// routes/trialResults.js
// Dog agility trial entries and live results. Ring stewards post run times from
// tablets; spectators refresh the results boards on their phones.
// Started in production with `pm2 start server.js -i 4` (cluster mode).
const express = require('express');
const db = require('../db'); // pg Pool
const { requireSteward, requireHandler } = require('../middleware/auth');

const router = express.Router();

const RESULTS_TTL_MS = 30 * 1000;
const resultsCache = new Map();

const ENTRY_LIMIT_PER_HOUR = 20;
const entryAttempts = new Map(); // handlerId -> { windowStart, count }

function tooManyEntryAttempts(handlerId) {
  const now = Date.now();
  const slot = entryAttempts.get(handlerId);
  if (!slot || now - slot.windowStart > 60 * 60 * 1000) {
    entryAttempts.set(handlerId, { windowStart: now, count: 1 });
    return false;
  }
  slot.count += 1;
  return slot.count > ENTRY_LIMIT_PER_HOUR;
}

router.get('/trials/:trialId/classes/:classCode/results', async (req, res, next) => {
  const { trialId, classCode } = req.params;
  const key = `${trialId}:${classCode}`;
  const hit = resultsCache.get(key);
  if (hit && Date.now() - hit.at < RESULTS_TTL_MS) {
    return res.json(hit.body);
  }

  try {
    const { rows } = await db.query(
      `SELECT r.run_order, d.call_name, h.display_name AS handler, r.faults, r.time_secs, r.eliminated
         FROM trial_runs r
         JOIN dogs d ON d.id = r.dog_id
         JOIN handlers h ON h.id = d.handler_id
        WHERE r.trial_id = $1 AND r.class_code = $2
        ORDER BY r.eliminated, r.faults, r.time_secs
        LIMIT 200`,
      [trialId, classCode]
    );
    const body = { trialId, classCode, updatedAt: new Date().toISOString(), runs: rows };
    resultsCache.set(key, { at: Date.now(), body });
    res.json(body);
  } catch (err) {
    next(err);
  }
});

router.post('/trials/:trialId/entries', requireHandler, async (req, res, next) => {
  const handlerId = req.user.handlerId;
  if (tooManyEntryAttempts(handlerId)) {
    return res.status(429).json({ error: 'Too many entry attempts, please wait an hour' });
  }

  const { dogId, classCode } = req.body;
  try {
    const { rows } = await db.query(
      `INSERT INTO trial_entries (trial_id, dog_id, class_code, handler_id)
       SELECT $1, d.id, $3, $4 FROM dogs d WHERE d.id = $2 AND d.handler_id = $4
       ON CONFLICT (trial_id, dog_id, class_code) DO NOTHING
       RETURNING id`,
      [req.params.trialId, dogId, classCode, handlerId]
    );
    if (rows.length === 0) {
      return res.status(409).json({ error: 'Already entered, or not your dog' });
    }
    res.status(201).json({ entryId: rows[0].id });
  } catch (err) {
    next(err);
  }
});

router.post('/trials/:trialId/runs', requireSteward, async (req, res, next) => {
  const { dogId, classCode, faults, timeSecs, eliminated } = req.body;
  try {
    await db.query(
      `UPDATE trial_runs SET faults = $4, time_secs = $5, eliminated = $6, recorded_at = now()
        WHERE trial_id = $1 AND dog_id = $2 AND class_code = $3`,
      [req.params.trialId, dogId, classCode, faults, timeSecs, Boolean(eliminated)]
    );
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
