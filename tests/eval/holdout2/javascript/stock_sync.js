const { pool } = require('./db');
const supplier = require('./supplier-client'); // axios instance with timeout: 5000

async function syncStock() {
  const { rows: products } = await pool.query('SELECT id, supplier_sku FROM products WHERE active');
  for (const p of products) {
    const { data } = await supplier.get(`/stock/${p.supplier_sku}`);
    await pool.query('UPDATE products SET stock = $1 WHERE id = $2', [data.available, p.id]);
  }
}

setInterval(() => syncStock().catch((err) => console.error('stock sync failed', err)), 15 * 60 * 1000);
