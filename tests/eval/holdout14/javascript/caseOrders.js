// src/cases/caseOrders.js
// Case orders for the dental lab portal. Every dental practice ("lab account")
// only ever sees its own cases; req.account is set by the auth middleware.
'use strict';

const express = require('express');
const fs = require('fs');
const path = require('path');
const { sequelize, CaseOrder, CaseItem, Practice, Technician } = require('../models');
const logger = require('../logger');

// Vita shade guide -> internal material codes. Loaded once at boot from the
// file shipped with the release; never written to afterwards.
const SHADE_MAP = new Map(
  Object.entries(JSON.parse(fs.readFileSync(path.join(__dirname, 'shades.json'), 'utf8')))
);

const PAGE_SIZE = 25;

// ---- repository -----------------------------------------------------------

const caseRepo = {
  list(accountId, { status, page }) {
    return CaseOrder.findAndCountAll({
      where: { accountId, ...(status ? { status } : {}) },
      include: [
        { model: Practice, attributes: ['id', 'name'] },
        { model: CaseItem, as: 'items' },
      ],
      order: [['dueDate', 'ASC']],
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      distinct: true,
    });
  },

  byId(accountId, id, options = {}) {
    return CaseOrder.findOne({ where: { id, accountId }, ...options });
  },
};

// ---- service --------------------------------------------------------------

async function assignTechnician(accountId, caseId, technicianId) {
  return sequelize.transaction(async (t) => {
    const order = await caseRepo.byId(accountId, caseId, { transaction: t, lock: t.LOCK.UPDATE });
    if (!order) return null;
    if (order.status !== 'received') {
      const err = new Error(`case is ${order.status}`);
      err.status = 409;
      throw err;
    }
    const tech = await Technician.findOne({ where: { id: technicianId, accountId }, transaction: t });
    if (!tech) {
      const err = new Error('unknown technician');
      err.status = 422;
      throw err;
    }
    order.status = 'in_progress';
    order.technicianId = tech.id;
    await order.save({ transaction: t });
    return order;
  });
}

// ---- routes ---------------------------------------------------------------

const router = express.Router();

router.get('/cases', async (req, res, next) => {
  try {
    const page = Math.max(1, parseInt(req.query.page, 10) || 1);
    const { rows, count } = await caseRepo.list(req.account.id, { status: req.query.status, page });
    res.json({ cases: rows, total: count, page, pageSize: PAGE_SIZE });
  } catch (err) {
    next(err);
  }
});

router.get('/cases/:id', async (req, res, next) => {
  try {
    const order = await caseRepo.byId(req.account.id, req.params.id, {
      include: [{ model: CaseItem, as: 'items' }],
    });
    if (!order) return res.sendStatus(404);
    const items = order.items.map((i) => ({ ...i.toJSON(), material: SHADE_MAP.get(i.shade) || null }));
    res.json({ ...order.toJSON(), items });
  } catch (err) {
    next(err);
  }
});

router.post('/cases/:id/assign', async (req, res, next) => {
  try {
    const order = await assignTechnician(req.account.id, req.params.id, req.body.technicianId);
    if (!order) return res.sendStatus(404);
    res.json(order);
  } catch (err) {
    logger.error({ err, caseId: req.params.id }, 'assign technician failed');
    next(err);
  }
});

module.exports = router;
