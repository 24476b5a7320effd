const express = require('express');
const { Registration, Player, Guardian } = require('../models');

const router = express.Router();

// ---------- service ----------

async function withGuardians(registrations) {
  const out = [];
  for (const reg of registrations) {
    const guardian = await Guardian.findOne({ where: { playerId: reg.playerId, isPrimary: true } });
    out.push({
      id: reg.id,
      season: reg.season,
      ageGroup: reg.ageGroup,
      status: reg.status,
      player: reg.Player ? reg.Player.fullName : null,
      guardianEmail: guardian ? guardian.email : null,
      guardianPhone: guardian ? guardian.phone : null,
    });
  }
  return out;
}

function ageGroupFor(dob, seasonYear) {
  // league uses birth year, not age on a date
  const age = seasonYear - new Date(dob).getFullYear();
  if (age <= 6) return 'U6';
  if (age <= 8) return 'U8';
  if (age <= 10) return 'U10';
  if (age <= 12) return 'U12';
  if (age <= 14) return 'U14';
  return 'U16';
}

// ---------- routes ----------

// GET /registrations?season=2024-fall   (registrar dashboard table)
router.get('/registrations', async (req, res) => {
  const where = req.query.season ? { season: req.query.season } : {};
  const regs = await Registration.findAll({
    where,
    include: [{ model: Player }],
    order: [['createdAt', 'DESC']],
  });
  res.json(await withGuardians(regs));
});

// GET /teams/:teamId/roster  (coach view, max 18 kids per team)
router.get('/teams/:teamId/roster', async (req, res) => {
  const regs = await Registration.findAll({
    where: { teamId: req.params.teamId, status: 'confirmed' },
    include: [{ model: Player, attributes: ['fullName', 'jerseyNumber'] }],
    limit: 25,
  });
  res.json(regs.map((r) => ({ name: r.Player.fullName, jersey: r.Player.jerseyNumber })));
});

// POST /registrations  { playerId, season }
router.post('/registrations', async (req, res, next) => {
  const { playerId, season } = req.body;
  const player = await Player.findByPk(playerId);
  if (!player) return res.status(404).json({ error: 'player not found' });

  const seasonYear = Number(String(season).slice(0, 4));
  try {
    // unique index registrations(player_id, season)
    const reg = await Registration.create({
      playerId,
      season,
      ageGroup: ageGroupFor(player.dob, seasonYear),
      status: 'pending_payment',
    });
    res.status(201).json(reg);
  } catch (e) {
    if (e.name === 'SequelizeUniqueConstraintError') {
      return res.status(409).json({ error: 'already registered for this season' });
    }
    next(e);
  }
});

// PATCH /registrations/:id/team
router.patch('/registrations/:id/team', async (req, res) => {
  const { teamId } = req.body;
  if (!teamId) {
    return res.status(400).json({ error: 'teamId required' });
  }
  // TODO move to service
