// Bonsai society exhibit catalogue — read-heavy public pages, cached per society.
import express from 'express';
import { LRUCache } from 'lru-cache';
import { pool } from './db.js';

const router = express.Router();

// Bounded cache: at most 500 societies' catalogues, each kept for 2 minutes.
// fetchMethod de-duplicates concurrent misses for the same key, so an expiry
// results in one query per society, not one per visitor.
const catalogueCache = new LRUCache({
  max: 500,
  ttl: 2 * 60 * 1000,
  allowStale: true,
  fetchMethod: async (societyId) => loadCatalogue(societyId),
});

async function loadCatalogue(societyId) {
  const { rows } = await pool.query(
    `SELECT e.id, e.tree_name, e.species, e.style, e.age_years, e.pot_maker,
            m.display_name AS owner
       FROM exhibits e
       JOIN members m ON m.id = e.member_id AND m.society_id = e.society_id
      WHERE e.society_id = $1 AND e.show_status = 'accepted'
      ORDER BY e.bench_number
      LIMIT 300`,
    [societyId]
  );
  return rows;
}

router.get('/societies/:societyId/exhibits', async (req, res, next) => {
  try {
    const exhibits = await catalogueCache.fetch(req.params.societyId);
    res.set('Cache-Control', 'public, max-age=60');
    res.json({ exhibits });
  } catch (err) {
    next(err);
  }
});

// Judges update an exhibit's award; drop the cached catalogue for that society only.
router.put('/societies/:societyId/exhibits/:exhibitId/award', async (req, res, next) => {
  const { societyId, exhibitId } = req.params;
  const { award } = req.body;
  try {
    const { rowCount } = await pool.query(
      `UPDATE exhibits SET award = $1, judged_at = now()
        WHERE id = $2 AND society_id = $3`,
      [award, exhibitId, societyId]
    );
    if (rowCount === 0) return res.status(404).json({ error: 'exhibit not found' });
    catalogueCache.delete(societyId);
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

export default router;
