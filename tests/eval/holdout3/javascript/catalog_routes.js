const Router = require('@koa/router');
const NodeCache = require('node-cache');
const { Product, Category } = require('../models');

const router = new Router({ prefix: '/api/catalog' });

// 5 minute cache, checked every 60s for expired keys
const cache = new NodeCache({ stdTTL: 300, checkperiod: 60, maxKeys: 50000 });

/**
 * GET /api/catalog/home
 * Navigation categories + featured products for the storefront home page.
 */
router.get('/home', async (ctx) => {
  const userId = ctx.state.user ? ctx.state.user.id : 'anon';
  const cacheKey = `home:${userId}`;

  let payload = cache.get(cacheKey);
  if (!payload) {
    const [categories, featured] = await Promise.all([
      Category.find({ visible: true }).sort({ position: 1 }).limit(50).lean(),
      Product.find({ featured: true, active: true })
        .sort({ featuredRank: 1 })
        .limit(12)
        .select('name slug price images')
        .lean(),
    ]);
    payload = { categories, featured };
    cache.set(cacheKey, payload);
  }

  ctx.body = payload;
});

/**
 * GET /api/catalog/categories/:slug/products
 * All products in a category, used by the category listing page.
 */
router.get('/categories/:slug/products', async (ctx) => {
  const category = await Category.findOne({ slug: ctx.params.slug, visible: true }).lean();
  if (!category) {
    ctx.status = 404;
    return;
  }

  const sort = ctx.query.sort === 'price' ? { price: 1 } : { createdAt: -1 };
  const products = await Product.find({ categoryId: category._id, active: true })
    .sort(sort)
    .select('name slug price images rating')
    .lean();

  ctx.body = { category: category.name, count: products.length, products };
});

/**
 * GET /api/catalog/products/:slug
 */
router.get('/products/:slug', async (ctx) => {
  const product = await Product.findOne({ slug: ctx.params.slug, active: true }).lean();
  if (!product) ctx.throw(404, 'Product not found');
  ctx.body = product;
});

module.exports = router;
