// Mobile library van API (county library service) — timetable and visit log endpoints.
// Models are defined in models/index.js (Sequelize, Postgres).
const { Router } = require('express');
const { Op } = require('sequelize');
const { VanStop, StopVisit, Reservation, Van } = require('../models');
const { requireStaff } = require('../middleware/auth');

const router = Router();

// GET /vans/:vanId/timetable
// Public timetable: each stop on the van's fortnightly route, plus how many reserved
// books are waiting to be collected there (shown as a badge in the app).
router.get('/vans/:vanId/timetable', async (req, res, next) => {
  try {
    const van = await Van.findByPk(req.params.vanId, { attributes: ['id', 'name', 'registration'] });
    if (!van) return res.status(404).json({ error: 'unknown van' });

    const stops = await VanStop.findAll({
      where: { vanId: van.id, active: true },
      attributes: ['id', 'village', 'locationName', 'weekday', 'arrivesAt', 'departsAt', 'sequence'],
      order: [['sequence', 'ASC']],
      limit: 80,
    });

    const timetable = [];
    for (const stop of stops) {
      const waiting = await Reservation.count({
        where: { collectionStopId: stop.id, status: 'ready_for_collection' },
      });
      timetable.push({
        stopId: stop.id,
        village: stop.village,
        location: stop.locationName,
        weekday: stop.weekday,
        arrives: stop.arrivesAt,
        departs: stop.departsAt,
        reservationsWaiting: waiting,
      });
    }

    res.set('Cache-Control', 'public, max-age=300');
    res.json({ van, timetable });
  } catch (err) {
    next(err);
  }
});

// POST /vans/:vanId/visits — the driver's tablet records each stop as it happens
router.post('/vans/:vanId/visits', requireStaff, async (req, res, next) => {
  const { stopId, borrowers, issues, returns } = req.body;
  try {
    const visit = await StopVisit.create({
      vanId: req.params.vanId,
      stopId,
      visitedAt: new Date(),
      borrowers: Number(borrowers) || 0,
      issues: Number(issues) || 0,
      returns: Number(returns) || 0,
      recordedBy: req.user.id,
    });
    res.status(201).json({ id: visit.id });
  } catch (err) {
    next(err);
  }
});

// GET /vans/:vanId/visits — visit history for the outreach team's spreadsheet export
router.get('/vans/:vanId/visits', requireStaff, async (req, res, next) => {
  try {
    const where = { vanId: req.params.vanId };
    if (req.query.village) {
      where['$stop.village$'] = { [Op.iLike]: `%${req.query.village}%` };
    }

    const visits = await StopVisit.findAll({
      where,
      include: [{ model: VanStop, as: 'stop', attributes: ['village', 'locationName'] }],
      order: [['visitedAt', 'DESC']],
    });

    res.json(
      visits.map((v) => ({
        id: v.id,
        visitedAt: v.visitedAt,
        village: v.stop.village,
        location: v.stop.locationName,
        borrowers: v.borrowers,
        issues: v.issues,
        returns: v.returns,
      }))
    );
  } catch (err) {
    next(err);
  }
});

module.exports = router;
