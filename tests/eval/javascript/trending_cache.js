const NodeCache = require('node-cache');
const { pool } = require('./db');

const cache = new NodeCache({ stdTTL: 120, maxKeys: 1000 });

async function trendingTags() {
  const hit = cache.get('trending-tags');
  if (hit !== undefined) return hit;
  const { rows } = await pool.query(`
    SELECT t.name, COUNT(*) AS uses
    FROM post_tags pt JOIN tags t ON t.id = pt.tag_id JOIN posts p ON p.id = pt.post_id
    WHERE p.created_at > now() - interval '24 hours'
    GROUP BY t.name
    ORDER BY uses DESC
    LIMIT 25
  `);
  cache.set('trending-tags', rows);
  return rows;
}

let inflight = null;
async function siteTotals() {
  const hit = cache.get('site-totals');
  if (hit !== undefined) return hit;
  if (!inflight) {
    inflight = pool
      .query('SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM posts) AS posts')
      .then(({ rows }) => {
        cache.set('site-totals', rows[0]);
        return rows[0];
      })
      .finally(() => {
        inflight = null;
      });
  }
  return inflight;
}

module.exports = { trendingTags, siteTotals };
