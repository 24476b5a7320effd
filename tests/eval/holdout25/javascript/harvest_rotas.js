'use strict';
// Harvest picking rota endpoints (Sequelize). Every vineyard is a tenant; the session carries
// vineyardId and every query is scoped with it.
const express = require('express');
const { Op } = require('sequelize');
const { sequelize, Shift, Picker } = require('../models');
const { authenticate } = require('../middleware/auth');

const router = express.Router();
const MAX_PAGE_SIZE = 100;

router.get('/rotas/shifts', authenticate, async (req, res, next) => {
  const vineyardId = req.session.vineyardId;
  const pageSize = Math.min(Number(req.query.pageSize) || 25, MAX_PAGE_SIZE);
  const page = Math.max(Number(req.query.page) || 1, 1);

  try {
    const { rows, count } = await Shift.findAndCountAll({
      where: {
        vineyardId,
        date: { [Op.between]: [req.query.from, req.query.to] },
      },
      include: [{ model: Picker, attributes: ['id', 'displayName'] }],
      order: [['date', 'ASC'], ['block', 'ASC']],
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    res.json({ shifts: rows, total: count, page, pageSize });
  } catch (err) {
    next(err);
  }
});

// Claim an open picking shift. The UPDATE only matches when the shift is still unclaimed,
// so two pickers tapping the same shift cannot both get it.
router.post('/rotas/shifts/:shiftId/claim', authenticate, async (req, res, next) => {
  const vineyardId = req.session.vineyardId;
  const pickerId = req.session.pickerId;

  try {
    const result = await sequelize.transaction(async (t) => {
      const [affected] = await Shift.update(
        { pickerId, claimedAt: new Date() },
        {
          where: { id: req.params.shiftId, vineyardId, pickerId: null },
          transaction: t,
        }
      );
      if (affected === 0) return null;
      return Shift.findOne({
        where: { id: req.params.shiftId, vineyardId },
        transaction: t,
      });
    });

    if (!result) {
      return res.status(409).json({ error: 'Shift already claimed' });
    }
    res.json(result);
  } catch (err) {
    next(err);
  }
});

// Release a shift you hold (allowed until 18:00 the day before).
router.delete('/rotas/shifts/:shiftId/claim', authenticate, async (req, res, next) => {
  try {
    const [affected] = await Shift.update(
      { pickerId: null, claimedAt: null },
      {
        where: {
          id: req.params.shiftId,
          vineyardId: req.session.vineyardId,
          pickerId: req.session.pickerId,
          releaseDeadline: { [Op.gt]: new Date() },
        },
      }
    );
    if (affected === 0) return res.status(404).json({ error: 'No releasable shift' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
