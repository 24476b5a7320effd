// Parts register for the pipe organ restoration workshop.
// Every pipe, pallet, tracker and leather pouch that comes off an instrument is logged
// with its source organ, condition and (if re-ordered) the supplier it came from.

const express = require('express');
const { Op } = require('sequelize');
const { Part, Supplier, Organ } = require('../models');

const router = express.Router();

const CONDITIONS = ['sound', 'repairable', 'replace', 'missing'];

// GET /parts — the register page. Filterable by condition and stop name.
router.get('/parts', async (req, res, next) => {
  try {
    const where = {};
    if (req.query.condition && CONDITIONS.includes(req.query.condition)) {
      where.condition = req.query.condition;
    }
    if (req.query.stop) {
      where.stopName = { [Op.iLike]: `%${req.query.stop}%` };
    }

    const parts = await Part.findAll({ where, order: [['loggedAt', 'DESC']] });

    res.json(parts.map((p) => ({
      id: p.id,
      label: p.label,
      stopName: p.stopName,
      pitch: p.pitch,
      condition: p.condition,
      loggedAt: p.loggedAt,
    })));
  } catch (err) {
    next(err);
  }
});

// GET /organs/:organId/reorder-sheet — parts to re-order for one instrument,
// grouped by supplier so the office can send one email each.
router.get('/organs/:organId/reorder-sheet', async (req, res, next) => {
  try {
    const organ = await Organ.findByPk(req.params.organId, {
      attributes: ['id', 'name', 'church'],
    });
    if (!organ) return res.status(404).json({ error: 'organ not found' });

    const toReorder = await Part.findAll({
      where: { organId: organ.id, condition: { [Op.in]: ['replace', 'missing'] } },
      attributes: ['id', 'label', 'stopName', 'pitch', 'supplierId', 'material'],
      limit: 500,
    });

    const bySupplier = {};
    for (const part of toReorder) {
      const supplier = await Supplier.findByPk(part.supplierId, {
        attributes: ['id', 'name', 'email', 'leadTimeWeeks'],
      });
      const key = supplier ? supplier.id : 'unassigned';
      if (!bySupplier[key]) {
        bySupplier[key] = {
          supplier: supplier ? supplier.toJSON() : null,
          lines: [],
        };
      }
      bySupplier[key].lines.push({
        partId: part.id,
        label: part.label,
        stop: part.stopName,
        pitch: part.pitch,
        material: part.material,
      });
    }

    res.json({
      organ: { id: organ.id, name: organ.name, church: organ.church },
      suppliers: Object.values(bySupplier),
    });
  } catch (err) {
    next(err);
  }
});

// PATCH /parts/:id — update condition after inspection.
router.patch('/parts/:id', async (req, res, next) => {
  try {
    const { condition, notes } = req.body;
    if (condition && !CONDITIONS.includes(condition)) {
      return res.status(400).json({ error: 'unknown condition' });
    }
    const [count] = await Part.update(
      { condition, notes },
      { where: { id: req.params.id } }
    );
    if (count === 0) return res.status(404).end();
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
