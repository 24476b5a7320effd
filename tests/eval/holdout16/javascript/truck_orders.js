// src/routes/orders.js
// Food truck ordering: customers order from a truck's menu, portions are limited per service.
'use strict';

const express = require('express');
const { QueryTypes } = require('sequelize');
const { sequelize, MenuItem, Order, OrderLine } = require('../models');
const HttpError = require('../lib/http-error');

const router = express.Router();
const MAX_LINES = 20;

router.post('/trucks/:truckId/orders', async (req, res, next) => {
  const { items, customerName, pickupName } = req.body; // items: [{ menuItemId, qty }]
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_LINES) {
    return res.status(400).json({ error: 'between 1 and 20 lines per order' });
  }

  try {
    const order = await sequelize.transaction(async (t) => {
      const ids = items.map((i) => Number(i.menuItemId));

      // Lock the rows we are about to decrement so two customers can't both
      // get the last portion of brisket.
      const menuItems = await MenuItem.findAll({
        where: { id: ids, truckId: req.params.truckId, active: true },
        lock: t.LOCK.UPDATE,
        transaction: t,
      });
      const byId = new Map(menuItems.map((m) => [m.id, m]));

      let total = 0;
      for (const line of items) {
        const m = byId.get(Number(line.menuItemId));
        if (!m) throw new HttpError(404, `menu item ${line.menuItemId} not found`);
        if (m.portionsLeft < line.qty) throw new HttpError(409, `${m.name} is sold out`);
        total += m.priceCents * line.qty;
      }

      // one statement for all lines, still under the row locks taken above
      await sequelize.query(
        `UPDATE menu_items AS m
            SET portions_left = m.portions_left - v.qty
           FROM unnest(ARRAY[:ids]::int[], ARRAY[:qtys]::int[]) AS v(id, qty)
          WHERE m.id = v.id`,
        {
          replacements: { ids, qtys: items.map((i) => Number(i.qty)) },
          type: QueryTypes.UPDATE,
          transaction: t,
        }
      );

      const created = await Order.create(
        { truckId: req.params.truckId, customerName, pickupName, totalCents: total, status: 'received' },
        { transaction: t }
      );
      await OrderLine.bulkCreate(
        items.map((i) => ({ orderId: created.id, menuItemId: i.menuItemId, qty: i.qty })),
        { transaction: t }
      );
      return created;
    });

    res.status(201).json({ orderId: order.id, status: order.status });
  } catch (err) {
    if (err instanceof HttpError) return res.status(err.status).json({ error: err.message });
    next(err);
  }
});

// kitchen screen: open orders for a truck, newest first, paged
router.get('/trucks/:truckId/orders', async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 25, 100);
  const offset = Math.max(Number(req.query.offset) || 0, 0);
  try {
    const rows = await Order.findAll({
      where: { truckId: req.params.truckId, status: ['received', 'cooking'] },
      include: [{ model: OrderLine, include: [MenuItem] }],
      order: [['createdAt', 'DESC']],
      limit,
      offset,
    });
    res.json({ items: rows, limit, offset });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
