// Village hall table-tennis league: division tables and result entry.
// The league table is built from every rubber played this season, which is
// the slowest query we have, so it is cached for a minute per division.
const express = require('express');
const NodeCache = require('node-cache');
const { pool } = require('./db');
const log = require('./logger');

const router = express.Router();
const tableCache = new NodeCache({ stdTTL: 60, maxKeys: 50 });

const COUNTY_RESULTS_URL = 'https://results.county-tta.example/api/v2/results';

async function buildLeagueTable(divisionId) {
  const { rows } = await pool.query(
    `SELECT t.id, t.name, t.village_hall,
            count(DISTINCT f.id) AS played,
            sum(CASE WHEN f.home_team_id = t.id AND f.home_sets > f.away_sets
                       OR f.away_team_id = t.id AND f.away_sets > f.home_sets THEN 1 ELSE 0 END) AS won,
            sum(CASE WHEN f.home_team_id = t.id THEN f.home_sets ELSE f.away_sets END) AS sets_for,
            sum(CASE WHEN f.home_team_id = t.id THEN f.away_sets ELSE f.home_sets END) AS sets_against
       FROM teams t
       JOIN fixtures f ON (f.home_team_id = t.id OR f.away_team_id = t.id)
       JOIN rubbers r ON r.fixture_id = f.id
      WHERE t.division_id = $1 AND f.status = 'played'
      GROUP BY t.id
      ORDER BY won DESC, (sum(CASE WHEN f.home_team_id = t.id THEN f.home_sets ELSE f.away_sets END)
                          - sum(CASE WHEN f.home_team_id = t.id THEN f.away_sets ELSE f.home_sets END)) DESC`,
    [divisionId]
  );
  return rows;
}

router.get('/divisions/:divisionId/table', async (req, res, next) => {
  const key = `division:${req.params.divisionId}`;
  try {
    let table = tableCache.get(key);
    if (!table) {
      table = await buildLeagueTable(req.params.divisionId);
      tableCache.set(key, table);
    }
    res.set('Cache-Control', 'public, max-age=30');
    res.json(table);
  } catch (err) {
    next(err);
  }
});

// The county association wants every result within 48 hours of the match.
async function pushResultToCounty(result) {
  let lastErr;
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const r = await fetch(COUNTY_RESULTS_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-League-Key': process.env.COUNTY_KEY },
        body: JSON.stringify(result),
        signal: AbortSignal.timeout(5000),
      });
      if (r.ok) return;
      lastErr = new Error(`county API ${r.status}`);
    } catch (err) {
      lastErr = err;
    }
    log.warn({ attempt, fixtureId: result.fixtureId }, 'county results push failed');
  }
  throw lastErr;
}

router.post('/fixtures/:fixtureId/result', async (req, res, next) => {
  const { homeSets, awaySets } = req.body;
  try {
    const { rows } = await pool.query(
      `UPDATE fixtures
          SET home_sets = $1, away_sets = $2, status = 'played', played_at = now()
        WHERE id = $3 AND status = 'scheduled'
      RETURNING id, division_id, home_team_id, away_team_id`,
      [homeSets, awaySets, req.params.fixtureId]
    );
    if (rows.length === 0) return res.status(409).json({ error: 'Result already entered' });

    tableCache.del(`division:${rows[0].division_id}`);
    await pushResultToCounty({ fixtureId: rows[0].id, homeSets, awaySets });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
