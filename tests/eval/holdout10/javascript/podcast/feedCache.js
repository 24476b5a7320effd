// src/feeds/feedCache.js
// Serves the public RSS feeds. Podcast apps poll these every few minutes, so
// feeds are cached per show and rebuilt by a single caller when they expire.
const { LRUCache } = require('lru-cache');
const knex = require('../db/knex');
const { renderRss } = require('./renderRss');
const logger = require('../logger');

const FEED_TTL_MS = 5 * 60 * 1000;
const MAX_EPISODES_IN_FEED = 300;

const feeds = new LRUCache({
  max: 5000,            // number of shows we keep hot in this process
  ttl: FEED_TTL_MS,
  allowStale: true,     // serve the old feed while one request rebuilds it
  noDeleteOnStaleGet: true,
});

// slug -> Promise<string> for builds currently running (entries removed when settled)
const building = new Map();

async function buildFeed(slug) {
  const show = await knex('shows').where({ slug, published: true }).first();
  if (!show) return null;

  const episodes = await knex('episodes')
    .where({ show_id: show.id, status: 'published' })
    .orderBy('published_at', 'desc')
    .limit(MAX_EPISODES_IN_FEED);

  return renderRss(show, episodes);
}

function getFeed(slug) {
  const cached = feeds.get(slug);   // may be stale (allowStale + noDeleteOnStaleGet)
  if (cached !== undefined && feeds.has(slug)) {
    return Promise.resolve(cached); // fresh hit
  }

  // miss or stale: only one rebuild per slug at a time in this process
  let p = building.get(slug);
  if (!p) {
    p = buildFeed(slug)
      .then((xml) => {
        if (xml) feeds.set(slug, xml);
        return xml;
      })
      .catch((err) => {
        logger.error({ err, slug }, 'feed build failed');
        if (cached !== undefined) return cached; // keep serving the stale copy
        throw err;
      })
      .finally(() => building.delete(slug));
    building.set(slug, p);
  }

  return cached !== undefined ? Promise.resolve(cached) : p;
}

async function feedHandler(req, res, next) {
  try {
    const xml = await getFeed(req.params.slug);
    if (!xml) return res.status(404).send('Not found');
    res.set('Content-Type', 'application/rss+xml; charset=utf-8');
    res.set('Cache-Control', 'public, max-age=300');
    res.send(xml);
  } catch (err) {
    next(err);
  }
}

module.exports = { feedHandler, getFeed };
