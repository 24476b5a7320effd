// routes/mooringPermits.js
// Visitor mooring permits for the long-term berths on the Grand Union stretch.
// Mounted under /api/moorings in the main Express app.

const express = require('express');
const axios = require('axios');
const db = require('../db/knex'); // shared knex instance, pool { min: 2, max: 20 }
const { requireBoater } = require('../middleware/auth');

const router = express.Router();

const LICENSING_BASE = process.env.CRT_LICENSING_URL || 'https://licensing.example-canals.org';

/**
 * Looks the boat up with the navigation authority so we only issue permits
 * to boats with a current licence. Returns { status, lengthMetres, expires }.
 */
async function fetchBoatLicence(indexNumber) {
  const res = await axios.get(`${LICENSING_BASE}/v2/boats/${encodeURIComponent(indexNumber)}/licence`, {
    headers: { 'x-api-key': process.env.CRT_API_KEY, accept: 'application/json' },
  });
  return {
    status: res.data.licence_status,
    lengthMetres: Number(res.data.length_m),
    expires: res.data.expires_on,
  };
}

function toPermitDto(row) {
  return {
    id: row.id,
    berthId: row.berth_id,
    boatIndex: row.boat_index,
    startDate: row.start_date,
    nights: row.nights,
    status: row.status,
  };
}

// GET /api/moorings/permits/mine — the boater's own permits, newest first
router.get('/permits/mine', requireBoater, async (req, res, next) => {
  try {
    const rows = await db('mooring_permits')
      .where({ boater_id: req.user.id })
      .orderBy('start_date', 'desc')
      .limit(50);
    res.json(rows.map(toPermitDto));
  } catch (err) {
    next(err);
  }
});

// POST /api/moorings/:berthId/permits  { boatIndex, startDate, nights }
router.post('/:berthId/permits', requireBoater, async (req, res, next) => {
  const berthId = Number(req.params.berthId);
  const { boatIndex, startDate, nights } = req.body;

  if (!Number.isInteger(nights) || nights < 1 || nights > 14) {
    return res.status(400).json({ error: 'nights must be between 1 and 14' });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate || '')) {
    return res.status(400).json({ error: 'startDate must be YYYY-MM-DD' });
  }

  try {
    const licence = await fetchBoatLicence(boatIndex);
    if (licence.status !== 'valid') {
      return res.status(422).json({ error: 'Boat licence is not current' });
    }

    const berth = await db('berths').where({ id: berthId }).first('id', 'capacity', 'max_length_m');
    if (!berth) {
      return res.status(404).json({ error: 'Unknown berth' });
    }
    if (licence.lengthMetres > berth.max_length_m) {
      return res.status(422).json({ error: `Berth takes boats up to ${berth.max_length_m} m` });
    }

    // How many boats already hold a permit starting that day on this berth
    const { count } = await db('mooring_permits')
      .where({ berth_id: berthId, start_date: startDate, status: 'active' })
      .count({ count: '*' })
      .first();

    if (Number(count) >= berth.capacity) {
      return res.status(409).json({ error: 'Berth is full for that date' });
    }

    const [permit] = await db('mooring_permits')
      .insert({
        berth_id: berthId,
        boater_id: req.user.id,
        boat_index: boatIndex,
        start_date: startDate,
        nights,
        status: 'active',
      })
      .returning(['id', 'berth_id', 'boat_index', 'start_date', 'nights', 'status']);

    res.status(201).json(toPermitDto(permit));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
