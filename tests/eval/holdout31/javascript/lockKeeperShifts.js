'use strict';

/**
 * Volunteer lock-keeper rota API.
 *
 * The platform is shared by several canal trusts; every Lock, Shift and
 * Volunteer row carries a trustId, and req.user.trustId comes from the
 * signed-in coordinator's account.
 */
const { Router } = require('express');
const { Op } = require('sequelize');
const { Shift, Lock, Volunteer } = require('../models');
const { requireCoordinator } = require('../middleware/roles');

const router = Router();
router.use(requireCoordinator);

const todayIso = () => new Date().toISOString().slice(0, 10);

// Rota for one lock flight for the coming fortnight.
router.get('/locks/:lockId/shifts', async (req, res, next) => {
  try {
    const lock = await Lock.findOne({
      where: { id: req.params.lockId, trustId: req.user.trustId },
    });
    if (!lock) return res.status(404).json({ error: 'Lock not found' });

    const shifts = await Shift.findAll({
      where: {
        lockId: lock.id,
        trustId: req.user.trustId,
        date: { [Op.between]: [todayIso(), req.query.until || todayIso()] },
      },
      order: [['date', 'ASC'], ['startTime', 'ASC']],
      limit: 100,
    });

    // Attach the volunteer's name and radio call-sign for the printed rota.
    const rota = [];
    for (const shift of shifts) {
      const volunteer = shift.volunteerId
        ? await Volunteer.findByPk(shift.volunteerId, { attributes: ['name', 'callSign'] })
        : null;
      rota.push({
        id: shift.id,
        date: shift.date,
        startTime: shift.startTime,
        endTime: shift.endTime,
        volunteer: volunteer ? volunteer.name : null,
        callSign: volunteer ? volunteer.callSign : null,
      });
    }

    res.json({ lock: { id: lock.id, name: lock.name }, rota });
  } catch (err) {
    next(err);
  }
});

// Unfilled shifts across the network, for the "can you help?" email.
router.get('/shifts/unfilled', async (req, res, next) => {
  try {
    const unfilled = await Shift.findAll({ where: { volunteerId: null, date: { [Op.gte]: todayIso() } }, order: [['date', 'ASC']], limit: 50 });
    res.json(
      unfilled.map((s) => ({
        id: s.id,
        lockId: s.lockId,
        date: s.date,
        startTime: s.startTime,
      }))
    );
  } catch (err) {
    next(err);
  }
});

// Assign a volunteer to a shift, only if nobody else has taken it meanwhile.
router.post('/shifts/:shiftId/assign', async (req, res, next) => {
  try {
    const [count] = await Shift.update(
      { volunteerId: req.body.volunteerId },
      {
        where: {
          id: req.params.shiftId,
          trustId: req.user.trustId,
          volunteerId: null,
        },
      }
    );
    if (count === 0) {
      return res.status(409).json({ error: 'Shift already filled or not found' });
    }
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
