// routes/coppiceSignups.js
// Volunteer sign-ups for community woodland coppicing days.
// Each woodland group runs its own days; a day has a fixed number of places
// because the site leader only has so many billhooks and bow saws.

const express = require('express');
const axios = require('axios');
const { pool } = require('../db');
const { requireVolunteer } = require('../auth');
const { enqueueEmail } = require('../jobs/email');

const router = express.Router();

const FORECAST_URL = 'https://api.open-meteo.com/v1/forecast';

function kitListFor(forecast) {
  const rain = forecast?.daily?.precipitation_sum?.[0] ?? 0;
  const kit = ['gloves', 'stout boots', 'packed lunch'];
  if (rain > 2) kit.push('waterproofs', 'spare socks');
  return kit;
}

router.post('/groups/:groupId/days/:dayId/signups', requireVolunteer, async (req, res, next) => {
  const { groupId, dayId } = req.params;
  const volunteerId = req.user.id;
  const toolPref = req.body.toolPref || 'any';

  try {
    const { rows: dayRows } = await pool.query(
      'SELECT id, capacity, site_lat, site_lng, starts_on FROM coppice_days WHERE id = $1 AND group_id = $2',
      [dayId, groupId]
    );
    const day = dayRows[0];
    if (!day) return res.status(404).json({ error: 'Coppicing day not found' });

    const { rows: countRows } = await pool.query(
      'SELECT count(*)::int AS taken FROM coppice_signups WHERE day_id = $1 AND cancelled_at IS NULL',
      [dayId]
    );
    if (countRows[0].taken >= day.capacity) {
      return res.status(409).json({ error: 'This day is full - try the waiting list' });
    }

    const { rows: inserted } = await pool.query(
      `INSERT INTO coppice_signups (day_id, volunteer_id, tool_pref)
       VALUES ($1, $2, $3)
       RETURNING id, created_at`,
      [dayId, volunteerId, toolPref]
    );

    // Attach a forecast so the confirmation email can suggest wet-weather kit.
    const forecast = await axios.get(FORECAST_URL, {
      params: {
        latitude: day.site_lat,
        longitude: day.site_lng,
        daily: 'precipitation_sum',
        start_date: day.starts_on,
        end_date: day.starts_on,
      },
    });

    await enqueueEmail('coppice-signup-confirmed', {
      volunteerId,
      dayId,
      kit: kitListFor(forecast.data),
    });

    return res.status(201).json({ signupId: inserted[0].id, createdAt: inserted[0].created_at });
  } catch (err) {
    return next(err);
  }
});

router.delete('/groups/:groupId/days/:dayId/signups/me', requireVolunteer, async (req, res, next) => {
  try {
    const { rowCount } = await pool.query(
      `UPDATE coppice_signups s
          SET cancelled_at = now()
         FROM coppice_days d
        WHERE s.day_id = d.id
          AND d.id = $1 AND d.group_id = $2
          AND s.volunteer_id = $3 AND s.cancelled_at IS NULL`,
      [req.params.dayId, req.params.groupId, req.user.id]
    );
    if (rowCount === 0) return res.status(404).json({ error: 'No active sign-up' });
    return res.status(204).end();
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
