// src/catalogue/scionStock.ts
// Scion-wood stock per heritage apple variety for the grafting order page.
// The figure is the same for every visitor, so it is cached per season in a
// bounded LRU; lru-cache's fetchMethod coalesces concurrent misses for the
// same key into one database query.
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';
import { logger } from '../logger';

export type VarietyStock = {
  varietyId: number;
  name: string;
  scionsLeft: number;
  rootstocks: string[];
};

export function createScionStockCache(pool: Pool) {
  const cache = new LRUCache<string, VarietyStock[]>({
    max: 20, // one entry per season/region, a handful in practice
    ttl: 60_000,
    allowStale: true, // serve the old list while one refresh runs
    fetchMethod: async (key) => {
      const [season, region] = key.split(':');
      const started = Date.now();
      const { rows } = await pool.query(
        `SELECT v.id AS variety_id, v.name,
                sum(a.scions_left)::int AS scions_left,
                array_agg(r.code ORDER BY r.code) AS rootstocks
           FROM apple_varieties v
           JOIN graft_availability a ON a.variety_id = v.id AND a.season = $1
           JOIN rootstocks r ON r.id = a.rootstock_id
          WHERE v.listed AND v.region = $2
          GROUP BY v.id, v.name
          ORDER BY v.name
          LIMIT 500`,
        [Number(season), region]
      );
      logger.debug({ key, ms: Date.now() - started }, 'scion stock refreshed');
      return rows.map((r) => ({
        varietyId: r.variety_id,
        name: r.name,
        scionsLeft: r.scions_left,
        rootstocks: r.rootstocks,
      }));
    },
  });

  return {
    async get(season: number, region: string): Promise<VarietyStock[]> {
      const value = await cache.fetch(`${season}:${region}`);
      if (!value) throw new Error(`no scion stock for ${season}:${region}`);
      return value;
    },
    invalidate(season: number, region: string) {
      cache.delete(`${season}:${region}`);
    },
  };
}

// Express handler: GET /api/scion-stock?region=west-country
export function scionStockHandler(stock: ReturnType<typeof createScionStockCache>) {
  return async (req: { query: { region?: string } }, res: any, next: (e: unknown) => void) => {
    try {
      const region = (req.query.region ?? 'all').slice(0, 40);
      const season = new Date().getMonth() >= 9 ? new Date().getFullYear() + 1 : new Date().getFullYear();
      res.set('Cache-Control', 'public, max-age=30');
      res.json(await stock.get(season, region));
    } catch (err) {
      next(err);
    }
  };
}
