// routes/callouts.js — lifeboat station crew call-out API
const express = require('express');
const axios = require('axios');
const { pool } = require('../db');
const { requireStationUser } = require('../auth');
const logger = require('../logger');

const router = express.Router();

const PAGER_GATEWAY = process.env.PAGER_GATEWAY_URL;

/**
 * Page every crew member on the duty roster for a new launch request.
 * The gateway accepts a whole roster in one broadcast call.
 */
async function pageCrew(stationId, calloutId, crew) {
  const recipients = crew.map((c) => c.pager_number);
  const { data } = await axios.post(`${PAGER_GATEWAY}/v2/broadcast`, {
    reference: `callout-${calloutId}`,
    station: stationId,
    recipients,
    message: 'LAUNCH: all available crew report to the boathouse',
  });
  return data.accepted;
}

router.post('/stations/:stationId/callouts', requireStationUser, async (req, res, next) => {
  const { stationId } = req.params;
  const { boat, reason } = req.body;
  try {
    const { rows } = await pool.query(
      `INSERT INTO callouts (station_id, boat_class, reason, status)
       VALUES ($1, $2, $3, 'paging') RETURNING id, created_at`,
      [stationId, boat, reason]
    );
    const callout = rows[0];

    const roster = await pool.query(
      `SELECT id, pager_number FROM crew_members
        WHERE station_id = $1 AND on_duty = true
        ORDER BY seniority DESC LIMIT 40`,
      [stationId]
    );

    const accepted = await pageCrew(stationId, callout.id, roster.rows);
    logger.info({ calloutId: callout.id, accepted }, 'crew paged');
    res.status(201).json({ id: callout.id, paged: accepted });
  } catch (err) {
    next(err);
  }
});

// A crew member taps "I'm coming" on the pager app. The boat class decides how many seats
// there are (D-class inshore boat carries 3, Atlantic 85 carries 4, Shannon carries 6).
router.post('/stations/:stationId/callouts/:calloutId/respond', requireStationUser, async (req, res, next) => {
  const { stationId, calloutId } = req.params;
  const crewId = req.user.crewMemberId;
  try {
    const callout = await pool.query(
      `SELECT c.id, b.seats FROM callouts c
         JOIN boat_classes b ON b.code = c.boat_class
        WHERE c.id = $1 AND c.station_id = $2`,
      [calloutId, stationId]
    );
    if (callout.rowCount === 0) return res.status(404).json({ error: 'unknown call-out' });

    const { rows } = await pool.query(
      'SELECT count(*)::int AS aboard FROM callout_crew WHERE callout_id = $1',
      [calloutId]
    );
    if (rows[0].aboard >= callout.rows[0].seats) {
      return res.status(409).json({ role: 'shore-crew', message: 'Boat is full, please assist ashore' });
    }

    await pool.query(
      'INSERT INTO callout_crew (callout_id, crew_member_id, responded_at) VALUES ($1, $2, now())',
      [calloutId, crewId]
    );
    res.json({ role: 'boat-crew', seat: rows[0].aboard + 1 });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
