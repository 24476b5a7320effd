// repositories/orders.js
// Every query is scoped to the tenant (org_id). Do not add a query here
// without the org filter -- rows from all customers live in the same tables.

const db = require('./knex');

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

function clampLimit(limit) {
  const n = Number.parseInt(limit, 10);
  if (!Number.isFinite(n) || n <= 0) return DEFAULT_PAGE_SIZE;
  return Math.min(n, MAX_PAGE_SIZE);
}

async function listOrders(orgId, { cursor, limit, status } = {}) {
  const pageSize = clampLimit(limit);
  const q = db('orders')
    .where('org_id', orgId)
    .orderBy('id', 'desc')
    .limit(pageSize + 1)
    .select('id', 'number', 'status', 'total_cents', 'customer_id', 'created_at');

  if (status) q.andWhere('status', status);
  if (cursor) q.andWhere('id', '<', cursor);

  const rows = await q;
  const hasMore = rows.length > pageSize;
  const items = hasMore ? rows.slice(0, pageSize) : rows;

  // load customers for the whole page in one query
  const customerIds = [...new Set(items.map((o) => o.customer_id))];
  const customers = customerIds.length
    ? await db('customers').where('org_id', orgId).whereIn('id', customerIds).select('id', 'name', 'email')
    : [];
  const byId = new Map(customers.map((c) => [c.id, c]));

  return {
    items: items.map((o) => ({ ...o, customer: byId.get(o.customer_id) || null })),
    nextCursor: hasMore ? items[items.length - 1].id : null,
  };
}

async function getOrder(orgId, orderId) {
  const order = await db('orders').where({ org_id: orgId, id: orderId }).first();
  if (!order) return null;

  const lines = await db('order_lines')
    .where({ org_id: orgId, order_id: orderId })
    .orderBy('position')
    .limit(1000);

  return { ...order, lines };
}

async function cancelOrder(orgId, orderId) {
  // only pending orders can be cancelled; the condition makes it atomic
  const updated = await db('orders')
    .where({ org_id: orgId, id: orderId, status: 'pending' })
    .update({ status: 'cancelled', cancelled_at: db.fn.now() });

  return updated === 1;
}

module.exports = { listOrders, getOrder, cancelOrder };
