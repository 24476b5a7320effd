// Tool library catalogue: which drills, ladders and strimmers are on the shelf at each branch.
// Availability comes from the lending system's API (Lendengine-style); we cache per branch
// page because every visitor sees the same shelf.
const express = require('express');
const { LRUCache } = require('lru-cache');
const logger = require('../logger');

const LENDING_API = process.env.LENDING_API_URL;
const UPSTREAM_TIMEOUT_MS = 4000;

async function fetchBranchPage(branchId, page) {
  const url = `${LENDING_API}/branches/${branchId}/items?status=available&page=${page}&per_page=40`;
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${process.env.LENDING_API_TOKEN}` },
    signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
  });
  if (!res.ok) {
    throw new Error(`lending api ${res.status} for branch ${branchId} page ${page}`);
  }
  const body = await res.json();
  return {
    items: body.items.map((i) => ({ id: i.id, name: i.name, category: i.category, photo: i.image_url })),
    hasMore: body.meta.current_page < body.meta.last_page,
  };
}

// Bounded and time-limited. cache.fetch() shares one in-flight request per key, so a
// cold entry after expiry triggers a single upstream call however many visitors arrive.
const catalogueCache = new LRUCache({
  max: 500,
  ttl: 2 * 60 * 1000,
  allowStale: true,
  fetchMethod: async (key) => {
    const [branchId, page] = key.split(':');
    return fetchBranchPage(branchId, Number(page));
  },
});

const router = express.Router();

router.get('/branches/:branchId/catalogue', async (req, res, next) => {
  const branchId = String(Number(req.params.branchId));
  const page = Math.min(Math.max(1, Number(req.query.page) || 1), 50);
  try {
    const data = await catalogueCache.fetch(`${branchId}:${page}`);
    res.set('Cache-Control', 'public, max-age=60');
    res.json({ branchId: Number(branchId), page, ...data });
  } catch (err) {
    logger.error({ err, branchId, page }, 'catalogue fetch failed');
    next(err);
  }
});

module.exports = { router, fetchBranchPage };
