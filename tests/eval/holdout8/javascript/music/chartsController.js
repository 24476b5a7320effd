/**
 * Charts controller — music streaming web API.
 *
 * Here's a production-ready version of your charts endpoints with caching added.
 * It uses `node-cache` so repeated requests are served from memory instead of
 * hitting Postgres every time. 🚀
 */
const NodeCache = require('node-cache');
const { Op, fn, col, literal } = require('sequelize');
const { Play, Track, Artist } = require('../models');

// Cache entries live for 10 minutes
const chartCache = new NodeCache({ stdTTL: 600, checkperiod: 120, maxKeys: 5000 });

/**
 * Computes the global top 50 tracks for the last 7 days.
 * This aggregates the plays table (~400M rows), so it's relatively expensive.
 */
async function computeTopTracks(region) {
  return Play.findAll({
    attributes: ['trackId', [fn('COUNT', col('Play.id')), 'plays']],
    where: {
      region,
      playedAt: { [Op.gte]: literal("NOW() - INTERVAL '7 days'") },
    },
    include: [{ model: Track, attributes: ['title'], include: [{ model: Artist, attributes: ['name'] }] }],
    group: ['trackId', 'Track.id', 'Track->Artist.id'],
    order: [[literal('plays'), 'DESC']],
    limit: 50,
  });
}

/**
 * GET /charts/top?region=DE
 * Returns the weekly top 50 for a region.
 */
exports.getTopTracks = async (req, res, next) => {
  try {
    const region = req.query.region || 'GLOBAL';
    const cacheKey = `top50:${req.user.id}:${region}`;

    const cached = chartCache.get(cacheKey);
    if (cached) {
      return res.json({ region, tracks: cached, cached: true });
    }

    const tracks = await computeTopTracks(region);
    chartCache.set(cacheKey, tracks);
    res.json({ region, tracks, cached: false });
  } catch (err) {
    next(err);
  }
};

/**
 * GET /charts/new-releases
 * Same for everyone; recomputed when the cache expires.
 */
exports.getNewReleases = async (req, res, next) => {
  try {
    let releases = chartCache.get('new-releases');
    if (releases === undefined) {
      releases = await Track.findAll({
        where: { releasedAt: { [Op.gte]: literal("NOW() - INTERVAL '14 days'") } },
        attributes: ['id', 'title', 'releasedAt'],
        include: [{ model: Artist, attributes: ['name'] }, { model: Play, attributes: [] }],
        group: ['Track.id', 'Artist.id'],
        order: [[fn('COUNT', col('Plays.id')), 'DESC']],
        limit: 100,
        subQuery: false,
      });
      chartCache.set('new-releases', releases);
    }
    res.json(releases);
  } catch (err) {
    next(err);
  }
};
