// routes/bouts.js  -- league site API (heroku, 2 web dynos)
const express = require('express');
const { Pool } = require('pg');

const router = express.Router();
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const MAX_ROSTER = 14; // charter limit per team per bout

// upcoming bouts + rosters for the league page
router.get('/leagues/:leagueId/bouts', async (req, res, next) => {
  try {
    const { rows: bouts } = await pool.query(
      `SELECT id, home_team_id, away_team_id, starts_at, venue
         FROM bouts
        WHERE league_id = $1 AND starts_at > now()
        ORDER BY starts_at
        LIMIT 20`,
      [req.params.leagueId]
    );
    await attachRosters(bouts);
    res.json(bouts);
  } catch (e) { next(e); }
});

async function attachRosters(bouts) {
  for (const b of bouts) {
    const r = await pool.query(
      'SELECT s.id, s.derby_name, s.jersey_no, bs.team_id FROM bout_skaters bs JOIN skaters s ON s.id = bs.skater_id WHERE bs.bout_id = $1',
      [b.id]
    );
    b.roster = r.rows;
  }
}

// captain adds a skater to the bout roster
router.post('/bouts/:boutId/roster', requireCaptain, async (req, res, next) => {
  const { skaterId, teamId } = req.body;
  try {
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM bout_skaters WHERE bout_id = $1 AND team_id = $2',
      [req.params.boutId, teamId]
    );
    if (rows[0].n >= MAX_ROSTER) {
      return res.status(409).json({ error: 'roster is full' });
    }
    await pool.query(
      'INSERT INTO bout_skaters (bout_id, team_id, skater_id) VALUES ($1, $2, $3)',
      [req.params.boutId, teamId, skaterId]
    );
    res.status(201).json({ ok: true });
  } catch (e) { next(e); }
});

// final score entered by the head NSO
router.patch('/bouts/:boutId/score', requireOfficial, async (req, res, next) => {
  const { home, away } = req.body;
  try {
    const r = await pool.query(
      'UPDATE bouts SET home_score = $2, away_score = $3, final = true WHERE id = $1 AND final = false',
      [req.params.boutId, home, away]
    );
    if (r.rowCount === 0) return res.status(409).json({ error: 'already final' });
    res.json({ ok: true });
  } catch (e) { next(e); }
});

function requireCaptain(req, res, next) {
  if (req.user && req.user.roles.includes('captain')) return next();
  res.sendStatus(403);
}

function requireOfficial(req, res, next) {
  if (req.user && req.user.roles.includes('nso')) return next();
  res.sendStatus(403);
}

module.exports = router;
