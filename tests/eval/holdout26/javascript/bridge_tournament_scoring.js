// Bridge club duplicate-pairs scoring. Table directors enter each board's
// result from their phones during the session; at the end the director
// finalises the tournament and every pair gets a PDF scorecard by email.
// Procfile: web: node server.js   (scaled to 3 web dynos on Friday nights)
const express = require('express');
const { pool } = require('./db');
const { renderScorecardPdf } = require('./pdf/scorecard');
const mailer = require('./mailer');
const { matchpointBoard } = require('./scoring/matchpoints');

const app = express();
app.use(express.json());

// tournamentId -> { boards: Map<boardNo, results[]>, lockedBy, startedAt }
const liveSessions = new Map();

function sessionFor(tournamentId) {
  if (!liveSessions.has(tournamentId)) {
    liveSessions.set(tournamentId, { boards: new Map(), lockedBy: null, startedAt: Date.now() });
  }
  return liveSessions.get(tournamentId);
}

// POST /tournaments/:id/boards/:boardNo  { nsPair, ewPair, contract, declarer, tricks, score }
app.post('/tournaments/:id/boards/:boardNo', async (req, res) => {
  const session = sessionFor(req.params.id);
  if (session.lockedBy) {
    return res.status(423).json({ error: `being finalised by ${session.lockedBy}` });
  }
  const boardNo = Number(req.params.boardNo);
  const results = session.boards.get(boardNo) || [];
  const dup = results.find((r) => r.nsPair === req.body.nsPair && r.ewPair === req.body.ewPair);
  if (dup) return res.status(409).json({ error: 'result already entered for this table' });

  results.push({ ...req.body, enteredAt: Date.now() });
  session.boards.set(boardNo, results);
  res.status(201).json({ boardNo, resultsSoFar: results.length });
});

// GET /tournaments/:id/progress — director's screen polls this every few seconds
app.get('/tournaments/:id/progress', (req, res) => {
  const session = sessionFor(req.params.id);
  const boards = [...session.boards.entries()].map(([boardNo, r]) => ({ boardNo, played: r.length }));
  res.json({ boards, locked: Boolean(session.lockedBy) });
});

// POST /tournaments/:id/finalise
app.post('/tournaments/:id/finalise', async (req, res, next) => {
  const session = sessionFor(req.params.id);
  session.lockedBy = req.body.directorName || 'director';

  try {
    const { rows: pairs } = await pool.query(
      'SELECT id, player_one, player_two, email_one, email_two FROM tournament_pairs WHERE tournament_id = $1',
      [req.params.id]
    );

    const totals = new Map(pairs.map((p) => [p.id, { mp: 0, top: 0, boards: [] }]));
    for (const [boardNo, results] of session.boards) {
      for (const scored of matchpointBoard(results)) {
        for (const pairId of [scored.nsPair, scored.ewPair]) {
          const t = totals.get(pairId);
          t.mp += pairId === scored.nsPair ? scored.nsMp : scored.ewMp;
          t.top += scored.top;
          t.boards.push({ boardNo, ...scored });
        }
      }
    }

    // Render and send a scorecard per pair (a session is usually 20-40 pairs).
    for (const pair of pairs) {
      const t = totals.get(pair.id);
      const pct = t.top ? (100 * t.mp) / t.top : 0;
      const pdf = await renderScorecardPdf({ pair, boards: t.boards, pct });
      await mailer.send({
        to: [pair.email_one, pair.email_two],
        subject: `Your scorecard – ${pct.toFixed(2)}%`,
        attachments: [{ filename: 'scorecard.pdf', content: pdf }],
      });
    }

    await pool.query("UPDATE tournaments SET status = 'final', finalised_at = now() WHERE id = $1", [
      req.params.id,
    ]);
    liveSessions.delete(req.params.id);
    res.json({ pairs: pairs.length, status: 'final' });
  } catch (err) {
    session.lockedBy = null;
    next(err);
  }
});

module.exports = app;
