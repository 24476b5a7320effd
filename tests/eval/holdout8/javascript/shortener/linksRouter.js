// src/routes/links.js
// Short link creation + redirect. Runs as 6 replicas behind nginx; all shared
// state lives in Redis (ioredis cluster client created once in ../redis.js).

const express = require('express');
const { nanoid } = require('nanoid');
const redis = require('../redis');         // single shared ioredis instance
const { pg } = require('../db');           // pg Pool, created once
const { requireApiKey } = require('../middleware/apiKey');

const router = express.Router();
const SLUG_TTL_DAYS = 365;

// POST /links  { url, slug? }
router.post('/links', requireApiKey, async (req, res, next) => {
  try {
    const { url } = req.body;
    const slug = req.body.slug || nanoid(7);

    // SET NX makes slug reservation atomic across replicas
    const ok = await redis.set(`link:${slug}`, url, 'EX', SLUG_TTL_DAYS * 86400, 'NX');
    if (ok !== 'OK') {
      return res.status(409).json({ error: 'slug_taken' });
    }

    await pg.query(
      'INSERT INTO links (slug, target_url, owner_key_id) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING',
      [slug, url, req.apiKey.id]
    );
    res.status(201).json({ slug, short: `https://sho.rt/${slug}` });
  } catch (err) {
    next(err);
  }
});

// GET /:slug -> 302
router.get('/:slug', async (req, res, next) => {
  try {
    const { slug } = req.params;
    const target = await redis.get(`link:${slug}`);
    if (!target) return res.status(404).send('Not found');

    // Click counters: atomic INCR per slug and per day, flushed to Postgres by the rollup job
    const day = new Date().toISOString().slice(0, 10);
    redis
      .multi()
      .incr(`clicks:${slug}`)
      .hincrby(`clicks:daily:${day}`, slug, 1)
      .expire(`clicks:daily:${day}`, 3 * 86400)
      .exec()
      .catch((err) => req.log.warn({ err, slug }, 'click counter failed'));

    res.redirect(302, target);
  } catch (err) {
    next(err);
  }
});

// GET /links/:slug/stats — owner only
router.get('/links/:slug/stats', requireApiKey, async (req, res, next) => {
  try {
    const { rows } = await pg.query(
      `SELECT day, clicks FROM link_daily_clicks
        WHERE slug = $1 AND owner_key_id = $2
        ORDER BY day DESC
        LIMIT 90`,
      [req.params.slug, req.apiKey.id]
    );
    const live = await redis.get(`clicks:${req.params.slug}`);
    res.json({ total: Number(live || 0), daily: rows });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
