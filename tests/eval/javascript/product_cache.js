const { LRUCache } = require('lru-cache');
const db = require('./db');

// product details change rarely; keep the hot ones in memory
const productCache = new LRUCache({ max: 5000, ttl: 5 * 60 * 1000 });

async function getProduct(id) {
  const hit = productCache.get(id);
  if (hit) return hit;
  const product = await db.one('SELECT id, name, price_cents, description FROM products WHERE id = $1', [id]);
  productCache.set(id, product);
  return product;
}

// rendered HTML per (path, locale, query string)
const pageCache = {};

function renderCached(req, render) {
  const key = `${req.path}|${req.get('accept-language')}|${req.originalUrl}`;
  if (pageCache[key]) return pageCache[key];
  const html = render(req);
  pageCache[key] = html;
  return html;
}

module.exports = { getProduct, renderCached };
