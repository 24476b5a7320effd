// routes/peals.js
// Peal records for the guild's online archive. Mounted at /api/peals in app.js.
// Records go back to 1890 (the transcribed card index) and the peal secretaries
// add a few hundred new ones each year.
const express = require('express');
const { Op } = require('sequelize');
const { sequelize, Peal, Ringer, Tower } = require('../models');
const { requireAuth, requireRole } = require('../middleware/auth');

const router = express.Router();

function formatDuration(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h}h ${String(m).padStart(2, '0')}m`;
}

function toSummary(peal, band) {
  return {
    id: peal.id,
    rungOn: peal.rungOn,
    towerCode: peal.towerCode,
    method: peal.method,
    changes: peal.changes,
    duration: formatDuration(peal.durationMinutes),
    conductor: band.find((r) => r.isConductor)?.name ?? null,
    band: band.map((r) => ({ bell: r.bell, name: r.name })),
  };
}

// GET /api/peals?tower=OXF-STMARY&method=Stedman
router.get('/', async (req, res, next) => {
  try {
    const where = {};
    if (req.query.tower) where.towerCode = req.query.tower;
    if (req.query.method) where.method = { [Op.iLike]: `%${req.query.method}%` };
    if (req.query.year) {
      const y = Number(req.query.year);
      where.rungOn = { [Op.between]: [`${y}-01-01`, `${y}-12-31`] };
    }

    const peals = await Peal.findAll({ where, order: [['rungOn', 'DESC']] });

    const result = [];
    for (const peal of peals) {
      const band = await Ringer.findAll({ where: { pealId: peal.id }, order: [['bell', 'ASC']] });
      result.push(toSummary(peal, band));
    }
    res.json({ count: result.length, peals: result });
  } catch (err) {
    next(err);
  }
});

// GET /api/peals/:id
router.get('/:id', async (req, res, next) => {
  try {
    const peal = await Peal.findByPk(req.params.id, {
      include: [{ model: Ringer, as: 'band' }, { model: Tower }],
    });
    if (!peal) return res.status(404).json({ error: 'peal not found' });
    const band = [...peal.band].sort((a, b) => a.bell - b.bell);
    res.json({ ...toSummary(peal, band), tower: peal.Tower?.dedication ?? null });
  } catch (err) {
    next(err);
  }
});

// POST /api/peals  (peal secretaries only)
router.post('/', requireAuth, requireRole('peal-secretary'), async (req, res, next) => {
  const { rungOn, towerCode, method, changes, durationMinutes, band } = req.body;
  if (!Array.isArray(band) || band.length < 4) {
    return res.status(400).json({ error: 'a peal needs at least four ringers' });
  }
  try {
    const created = await sequelize.transaction(async (t) => {
      const peal = await Peal.create(
        { rungOn, towerCode, method, changes, durationMinutes, enteredBy: req.user.id },
        { transaction: t },
      );
      await Ringer.bulkCreate(
        band.map((r) => ({ pealId: peal.id, bell: r.bell, name: r.name, isConductor: !!r.conductor })),
        { transaction: t },
      );
      return peal;
    });
    res.status(201).json({ id: created.id });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
