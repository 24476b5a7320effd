// routes/runningOrder.js — sheepdog trial running orders and results (Express + Sequelize)
const express = require('express');
const { Op } = require('sequelize');
const { Trial, Run, Dog, Handler, Result } = require('../models');

const router = express.Router();

// A big open trial rarely goes past 150 runs in a day.
const MAX_RUNS_PER_TRIAL = 200;

function formatStartTime(trial, position) {
  // Runs are drawn at roughly 12-minute intervals from the first start.
  const start = new Date(trial.firstStartAt);
  start.setMinutes(start.getMinutes() + (position - 1) * trial.minutesPerRun);
  return start.toISOString();
}

router.get('/trials/:trialId/running-order', async (req, res, next) => {
  try {
    const trial = await Trial.findByPk(req.params.trialId, {
      attributes: ['id', 'name', 'firstStartAt', 'minutesPerRun', 'course'],
    });
    if (!trial) return res.status(404).json({ error: 'trial not found' });

    const runs = await Run.findAll({
      where: { trialId: trial.id, scratched: false },
      include: [{ model: Dog, attributes: ['id', 'name', 'sex', 'registrationNo'] }],
      order: [['position', 'ASC']],
      limit: MAX_RUNS_PER_TRIAL,
    });

    const order = [];
    for (const run of runs) {
      const handler = await Handler.findByPk(run.handlerId, {
        attributes: ['id', 'firstName', 'lastName', 'county'],
      });
      order.push({
        position: run.position,
        startsAt: formatStartTime(trial, run.position),
        dog: run.Dog,
        handler: handler ? `${handler.firstName} ${handler.lastName}` : 'TBC',
        county: handler ? handler.county : null,
      });
    }

    res.json({ trial: { id: trial.id, name: trial.name, course: trial.course }, order });
  } catch (err) {
    next(err);
  }
});

// Results archive for the society website: points per run, every trial to date.
router.get('/results', async (req, res, next) => {
  try {
    const where = {};
    if (req.query.course) where.course = req.query.course;
    if (req.query.since) where.runDate = { [Op.gte]: req.query.since };

    const results = await Result.findAll({
      where,
      attributes: ['trialName', 'runDate', 'dogName', 'handlerName', 'outrun', 'lift', 'fetch', 'drive', 'pen', 'total'],
      order: [['runDate', 'DESC'], ['total', 'DESC']],
    });

    res.json(results);
  } catch (err) {
    next(err);
  }
});

// Swap two runs in the order (stewards do this when a handler has two dogs close together).
router.post('/trials/:trialId/running-order/swap', async (req, res, next) => {
  const { a, b } = req.body;
  try {
    await Run.sequelize.transaction(async (t) => {
      const runs = await Run.findAll({
        where: { trialId: req.params.trialId, position: [a, b] },
        lock: t.LOCK.UPDATE,
        transaction: t,
      });
      if (runs.length !== 2) throw Object.assign(new Error('positions not found'), { status: 404 });
      const [first, second] = runs;
      const [posFirst, posSecond] = [first.position, second.position];
      // (trial_id, position) is unique, so park one run first
      await first.update({ position: -1 }, { transaction: t });
      await second.update({ position: posFirst }, { transaction: t });
      await first.update({ position: posSecond }, { transaction: t });
    });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
