// routes/rota.js
// Weekly rota for the tram restoration workshop: which volunteers are on which
// shift (bodywork, electrics, track gang, tea hut). The rota page is the most
// visited page on a Saturday morning, so the built rota is kept in Redis.

const express = require('express');
const Redis = require('ioredis');
const { Op } = require('sequelize');
const { Shift, Volunteer, ShiftSignup } = require('../models');
const { requireVolunteer } = require('../middleware/auth');

const router = express.Router();
const redis = new Redis(process.env.REDIS_URL, { connectTimeout: 5000, commandTimeout: 2000 });

const ROTA_TTL_SECONDS = 300;

function weekBounds(weekStart) {
  const start = new Date(`${weekStart}T00:00:00Z`);
  const end = new Date(start);
  end.setUTCDate(end.getUTCDate() + 7);
  return { start, end };
}

async function buildRota(weekStart) {
  const { start, end } = weekBounds(weekStart);
  const shifts = await Shift.findAll({
    where: { startsAt: { [Op.gte]: start, [Op.lt]: end } },
    order: [['startsAt', 'ASC']],
    limit: 120,
  });

  const rota = [];
  for (const shift of shifts) {
    const signups = await ShiftSignup.findAll({
      where: { shiftId: shift.id },
      include: [{ model: Volunteer, attributes: ['id', 'displayName', 'skills'] }],
    });
    rota.push({
      id: shift.id,
      tram: shift.tramFleetNumber,
      area: shift.area,
      startsAt: shift.startsAt,
      endsAt: shift.endsAt,
      needed: shift.volunteersNeeded,
      volunteers: signups.map((s) => ({ id: s.Volunteer.id, name: s.Volunteer.displayName })),
    });
  }
  return rota;
}

// GET /api/rota?week=2025-04-07
router.get('/rota', requireVolunteer, async (req, res, next) => {
  const weekStart = String(req.query.week || '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(weekStart)) {
    return res.status(400).json({ error: 'week must be a Monday in YYYY-MM-DD form' });
  }

  const cacheKey = `rota:${req.user.id}:${weekStart}`;
  try {
    const cached = await redis.get(cacheKey);
    if (cached) return res.type('application/json').send(cached);

    const rota = await buildRota(weekStart);
    const body = JSON.stringify({ week: weekStart, shifts: rota });
    await redis.set(cacheKey, body, 'EX', ROTA_TTL_SECONDS);
    res.type('application/json').send(body);
  } catch (err) {
    next(err);
  }
});

// POST /api/shifts/:id/signup — volunteer adds themselves to a shift
// (shift_signups has a unique index on shift_id + volunteer_id)
router.post('/shifts/:id/signup', requireVolunteer, async (req, res, next) => {
  try {
    const [signup, created] = await ShiftSignup.findOrCreate({
      where: { shiftId: Number(req.params.id), volunteerId: req.user.id },
    });
    res.status(created ? 201 : 200).json({ id: signup.id });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
