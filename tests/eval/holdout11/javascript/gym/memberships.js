// routes/memberships.js — multi-gym SaaS, every row is scoped by gym_id
const express = require('express');
const { Op } = require('sequelize');
const { sequelize, Membership, Visit } = require('../models');
const { requireStaff } = require('../middleware/auth');

const router = express.Router({ mergeParams: true });
router.use(requireStaff); // sets req.gymId from the staff token, never from the URL

const MAX_FREEZES_PER_YEAR = 2;

router.get('/memberships', async (req, res, next) => {
  try {
    const limit = Math.min(Number(req.query.limit) || 25, 100);
    const offset = Math.max(Number(req.query.offset) || 0, 0);
    const { rows, count } = await Membership.findAndCountAll({
      where: { gymId: req.gymId, status: req.query.status || { [Op.ne]: 'cancelled' } },
      order: [['createdAt', 'DESC']],
      limit,
      offset,
    });
    res.json({ items: rows, total: count, limit, offset });
  } catch (err) {
    next(err);
  }
});

router.post('/memberships/:id/freeze', async (req, res, next) => {
  try {
    // conditional update: only an active membership with freezes left can be frozen
    const [updated] = await Membership.update(
      {
        status: 'frozen',
        frozenAt: new Date(),
        freezesUsed: sequelize.literal('freezes_used + 1'),
      },
      {
        where: {
          id: req.params.id,
          gymId: req.gymId,
          status: 'active',
          freezesUsed: { [Op.lt]: MAX_FREEZES_PER_YEAR },
        },
      }
    );
    if (updated === 0) {
      return res.status(409).json({ error: 'membership is not active or has no freezes left' });
    }
    res.json({ id: req.params.id, status: 'frozen' });
  } catch (err) {
    next(err);
  }
});

router.post('/memberships/:id/visits', async (req, res, next) => {
  try {
    const membership = await Membership.findOne({
      where: { id: req.params.id, gymId: req.gymId, status: 'active' },
    });
    if (!membership) return res.status(404).json({ error: 'no active membership' });

    const visit = await sequelize.transaction(async (transaction) => {
      const v = await Visit.create(
        { membershipId: membership.id, gymId: req.gymId, doorId: req.body.doorId },
        { transaction }
      );
      // UPDATE memberships SET visit_count = visit_count + 1 ...
      await membership.increment('visitCount', { by: 1, transaction });
      return v;
    });
    res.status(201).json(visit);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
