// routes/leaderboard.js
// Live leaderboard for a sheepdog trial. Each run is judged on outrun, lift,
// fetch, drive, shed and pen; every judge records points lost per phase and
// the run score is 100 per judge minus the points lost.
const express = require('express');
const { Client } = require('pg');

const router = express.Router();

const MAX_PER_JUDGE = 100;

const dbConfig = {
  host: process.env.PGHOST,
  port: Number(process.env.PGPORT) || 5432,
  database: process.env.PGDATABASE || 'trials',
  user: process.env.PGUSER,
  password: process.env.PGPASSWORD,
  statement_timeout: 5000,
  connectionTimeoutMillis: 3000,
};

function compareRuns(a, b) {
  if (b.score !== a.score) return b.score - a.score;
  // Ties are split on outwork (outrun + lift + fetch), then on time.
  if (b.outwork !== a.outwork) return b.outwork - a.outwork;
  return a.timeTakenS - b.timeTakenS;
}

router.get('/trials/:trialId/leaderboard', async (req, res, next) => {
  const client = new Client(dbConfig);
  try {
    await client.connect();

    const { rows: runs } = await client.query(
      `SELECT r.id, r.run_order, h.name AS handler, d.name AS dog,
              r.time_taken_s, r.retired, t.judge_count
         FROM runs r
         JOIN trials t ON t.id = r.trial_id
         JOIN handlers h ON h.id = r.handler_id
         JOIN dogs d ON d.id = r.dog_id
        WHERE r.trial_id = $1
        ORDER BY r.run_order
        LIMIT 200`,
      [req.params.trialId],
    );

    const board = [];
    for (const run of runs) {
      const { rows: deductions } = await client.query(
        'SELECT phase, judge_id, points_lost FROM deductions WHERE run_id = $1',
        [run.id],
      );

      const phases = {};
      let lost = 0;
      for (const d of deductions) {
        phases[d.phase] = (phases[d.phase] || 0) + d.points_lost;
        lost += d.points_lost;
      }
      const outworkLost = (phases.outrun || 0) + (phases.lift || 0) + (phases.fetch || 0);

      board.push({
        runId: run.id,
        handler: run.handler,
        dog: run.dog,
        timeTakenS: run.time_taken_s,
        phases,
        score: run.retired ? 0 : run.judge_count * MAX_PER_JUDGE - lost,
        outwork: run.judge_count * 60 - outworkLost,
        status: run.retired ? 'RET' : 'OK',
      });
    }

    board.sort(compareRuns);
    res.json({ trialId: req.params.trialId, runs: board.map((r, i) => ({ place: i + 1, ...r })) });
  } catch (err) {
    next(err);
  } finally {
    await client.end();
  }
});

module.exports = router;
