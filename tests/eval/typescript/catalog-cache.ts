import { redis } from './redis';
import { pg } from './pg';

const LOCK_TTL_MS = 10_000;

export async function categoryTree(): Promise<unknown> {
  const cached = await redis.get('catalog:tree');
  if (cached) return JSON.parse(cached);
  const { rows } = await pg.query(`
    WITH RECURSIVE tree AS (
      SELECT id, parent_id, name, 1 AS depth FROM categories WHERE parent_id IS NULL
      UNION ALL
      SELECT c.id, c.parent_id, c.name, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id
    )
    SELECT t.*, (SELECT count(*) FROM products p WHERE p.category_id = t.id) AS product_count FROM tree t
  `);
  await redis.set('catalog:tree', JSON.stringify(rows), 'EX', 600);
  return rows;
}

export async function brandList(): Promise<unknown> {
  const cached = await redis.get('catalog:brands');
  if (cached) return JSON.parse(cached);
  const gotLock = await redis.set('lock:catalog:brands', '1', 'PX', LOCK_TTL_MS, 'NX');
  if (!gotLock) {
    await new Promise((r) => setTimeout(r, 200));
    return brandList();
  }
  try {
    const { rows } = await pg.query(
      'SELECT b.id, b.name, count(p.id) AS products FROM brands b LEFT JOIN products p ON p.brand_id = b.id GROUP BY b.id ORDER BY b.name',
    );
    await redis.set('catalog:brands', JSON.stringify(rows), 'EX', 600);
    return rows;
  } finally {
    await redis.del('lock:catalog:brands');
  }
}
