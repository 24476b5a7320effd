// Darts league: league table + recent results for the public league page.
// Sequelize models are defined in ../models (League, Match, Leg, Team).
const express = require('express');
const { QueryTypes } = require('sequelize');
const { sequelize, League, Match, Leg, Team } = require('../models');

const router = express.Router();

// Points: 2 for a win, 1 for a draw. Ties broken on leg difference, then 180s.
const STANDINGS_SQL = `
  SELECT t.id AS team_id,
         t.name,
         COUNT(DISTINCT m.id) AS played,
         SUM(CASE WHEN mr.winner_team_id = t.id THEN 2
                  WHEN mr.winner_team_id IS NULL THEN 1 ELSE 0 END) AS points,
         SUM(CASE WHEN l.winner_team_id = t.id THEN 1 ELSE 0 END)
           - SUM(CASE WHEN l.winner_team_id <> t.id THEN 1 ELSE 0 END) AS leg_difference,
         SUM(ls.one_eighties) AS one_eighties,
         MAX(ls.highest_checkout) AS highest_checkout,
         AVG(ls.three_dart_average) AS team_average
    FROM teams t
    JOIN matches m ON m.home_team_id = t.id OR m.away_team_id = t.id
    JOIN match_results mr ON mr.match_id = m.id
    JOIN legs l ON l.match_id = m.id
    LEFT JOIN leg_stats ls ON ls.leg_id = l.id AND ls.team_id = t.id
   WHERE t.league_id = :leagueId AND m.status = 'played'
   GROUP BY t.id, t.name
   ORDER BY points DESC, leg_difference DESC, one_eighties DESC`;

router.get('/leagues/:leagueId', async (req, res, next) => {
  const leagueId = Number(req.params.leagueId);
  try {
    const league = await League.findByPk(leagueId, { attributes: ['id', 'name', 'season'] });
    if (!league) return res.status(404).json({ error: 'League not found' });

    const standings = await sequelize.query(STANDINGS_SQL, {
      replacements: { leagueId },
      type: QueryTypes.SELECT,
    });

    const recent = await Match.findAll({
      where: { leagueId, status: 'played' },
      include: [
        { model: Team, as: 'homeTeam', attributes: ['id', 'name'] },
        { model: Team, as: 'awayTeam', attributes: ['id', 'name'] },
      ],
      order: [['playedAt', 'DESC']],
      limit: 10,
    });

    // Leg-by-leg scores so the page can show the checkout for each leg.
    const results = [];
    for (const match of recent) {
      const legs = await Leg.findAll({ where: { matchId: match.id }, order: [['legNo', 'ASC']] });
      results.push({
        id: match.id,
        playedAt: match.playedAt,
        home: match.homeTeam.name,
        away: match.awayTeam.name,
        legs: legs.map((l) => ({ legNo: l.legNo, winner: l.winnerTeamId, checkout: l.checkout })),
      });
    }

    res.json({ league, standings, results });
  } catch (err) {
    next(err);
  }
});

// Captains submit the result sheet after the match.
router.post('/leagues/:leagueId/matches/:matchId/result', async (req, res, next) => {
  const leagueId = Number(req.params.leagueId);
  const matchId = Number(req.params.matchId);
  const { legs } = req.body;
  try {
    await sequelize.transaction(async (transaction) => {
      const match = await Match.findOne({
        where: { id: matchId, leagueId },
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (!match || match.status === 'played') {
        throw Object.assign(new Error('Match already recorded'), { status: 409 });
      }
      await Leg.bulkCreate(
        legs.map((l, i) => ({ matchId, legNo: i + 1, winnerTeamId: l.winnerTeamId, checkout: l.checkout })),
        { transaction }
      );
      await match.update({ status: 'played', playedAt: new Date() }, { transaction });
    });
    res.status(201).json({ matchId });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
