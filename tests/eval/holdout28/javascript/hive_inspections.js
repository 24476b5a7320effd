// controllers/inspectionsController.js
// Urban beekeeping association: inspection history for an apiary (rooftop or allotment site).
// Inspectors record brood pattern, queen sighting, varroa count and temperament per visit.
const { Op } = require('sequelize');
const { Apiary, Hive, Inspection, Member } = require('../models');

const VARROA_ALERT_THRESHOLD = 3; // mites per 100 bees (alcohol wash)

function summarise(inspection, hive) {
  const varroa = inspection.varroaPer100 ?? null;
  return {
    id: inspection.id,
    inspectedAt: inspection.inspectedAt,
    hive: hive ? { id: hive.id, label: hive.label, colour: hive.roofColour } : null,
    queenSeen: inspection.queenSeen,
    eggsSeen: inspection.eggsSeen,
    broodFrames: inspection.broodFrames,
    temperament: inspection.temperament,
    varroaPer100: varroa,
    varroaAlert: varroa !== null && varroa >= VARROA_ALERT_THRESHOLD,
    notes: inspection.notes,
  };
}

/**
 * GET /apiaries/:apiaryId/inspections
 * Used by the apiary page and by the "download my records" button.
 */
async function listInspections(req, res, next) {
  try {
    const apiary = await Apiary.findOne({
      where: { id: req.params.apiaryId, associationId: req.user.associationId },
    });
    if (!apiary) return res.status(404).json({ error: 'Apiary not found' });

    const where = { apiaryId: apiary.id };
    if (req.query.since) {
      where.inspectedAt = { [Op.gte]: new Date(req.query.since) };
    }

    const inspections = await Inspection.findAll({ where, order: [['inspectedAt', 'DESC']] });

    const results = [];
    for (const inspection of inspections) {
      const hive = await Hive.findByPk(inspection.hiveId, { attributes: ['id', 'label', 'roofColour'] });
      results.push(summarise(inspection, hive));
    }

    res.json({ apiary: { id: apiary.id, name: apiary.name }, inspections: results });
  } catch (err) {
    next(err);
  }
}

/**
 * POST /apiaries/:apiaryId/inspections
 */
async function createInspection(req, res, next) {
  try {
    const hive = await Hive.findOne({
      where: {
        id: req.body.hiveId,
        apiaryId: req.params.apiaryId,
        associationId: req.user.associationId,
      },
    });
    if (!hive) return res.status(404).json({ error: 'Hive not found at this apiary' });

    const inspection = await Inspection.create({
      apiaryId: hive.apiaryId,
      hiveId: hive.id,
      inspectorId: req.user.id,
      inspectedAt: req.body.inspectedAt || new Date(),
      queenSeen: Boolean(req.body.queenSeen),
      eggsSeen: Boolean(req.body.eggsSeen),
      broodFrames: Number(req.body.broodFrames) || 0,
      temperament: req.body.temperament || 'calm',
      varroaPer100: req.body.varroaPer100 ?? null,
      notes: (req.body.notes || '').slice(0, 2000),
    });

    res.status(201).json(summarise(inspection, hive));
  } catch (err) {
    next(err);
  }
}

module.exports = { listInspections, createInspection };
