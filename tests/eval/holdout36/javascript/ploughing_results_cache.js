// Ploughing match results: after judging, the results page shows each class with the
// competitors' points for opening split, crown, finish and overall work. The results page
// is hammered on match day by everyone in the beer tent refreshing their phones.
const express = require('express');
const NodeCache = require('node-cache');
const { pool } = require('../db/pool');
const logger = require('../lib/logger');

const router = express.Router();

// Shared across all visitors; at most a few hundred matches are ever live in one season.
const resultsCache = new NodeCache({ stdTTL: 60, checkperiod: 120, maxKeys: 500, useClones: false });

// Concurrent misses for the same match wait on one query instead of each running it.
const inFlight = new Map();

async function computeResults(matchId) {
  const { rows } = await pool.query(
    `SELECT c.id AS class_id, c.name AS class_name, e.competitor_id, p.display_name,
            e.plot_number,
            sum(s.points) FILTER (WHERE s.criterion = 'opening') AS opening,
            sum(s.points) FILTER (WHERE s.criterion = 'crown') AS crown,
            sum(s.points) FILTER (WHERE s.criterion = 'finish') AS finish,
            sum(s.points) AS total
       FROM match_classes c
       JOIN entries e ON e.class_id = c.id
       JOIN competitors p ON p.id = e.competitor_id
       LEFT JOIN judge_scores s ON s.entry_id = e.id
      WHERE c.match_id = $1
      GROUP BY c.id, c.name, e.competitor_id, p.display_name, e.plot_number
      ORDER BY c.name, total DESC NULLS LAST`,
    [matchId]
  );

  const classes = new Map();
  for (const row of rows) {
    if (!classes.has(row.class_id)) {
      classes.set(row.class_id, { classId: row.class_id, name: row.class_name, placings: [] });
    }
    classes.get(row.class_id).placings.push({
      competitor: row.display_name,
      plot: row.plot_number,
      opening: Number(row.opening || 0),
      crown: Number(row.crown || 0),
      finish: Number(row.finish || 0),
      total: Number(row.total || 0),
    });
  }
  return { matchId, computedAt: new Date().toISOString(), classes: [...classes.values()] };
}

async function getResults(matchId) {
  const key = `results:${matchId}`;
  const cached = resultsCache.get(key);
  if (cached) return cached;

  if (!inFlight.has(key)) {
    const pending = computeResults(matchId)
      .then((results) => {
        resultsCache.set(key, results);
        return results;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return inFlight.get(key);
}

// GET /matches/:matchId/results
router.get('/matches/:matchId/results', async (req, res, next) => {
  try {
    const results = await getResults(req.params.matchId);
    res.set('Cache-Control', 'public, max-age=30');
    res.json(results);
  } catch (err) {
    logger.error({ err, matchId: req.params.matchId }, 'could not build match results');
    next(err);
  }
});

// Judges' scoring app calls this after saving a card so the page updates promptly.
function invalidateResults(matchId) {
  resultsCache.del(`results:${matchId}`);
}

module.exports = { router, getResults, invalidateResults };
