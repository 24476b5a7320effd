// routes/swarms.js
// Swarm call-outs for the beekeeping association: members of the public report a
// swarm through the website, and registered collectors claim it from the app.
const express = require('express');
const axios = require('axios');
const { pool } = require('../db');
const { requireMember } = require('../middleware/auth');
const { notifyCollectors } = require('../services/notify');

const router = express.Router();

// Turn the reporter's postcode into a map pin for the collectors' app.
async function geocodePostcode(postcode) {
  const res = await axios.get(`https://api.postcodes.io/postcodes/${encodeURIComponent(postcode)}`);
  const { latitude, longitude } = res.data.result;
  return { lat: latitude, lng: longitude };
}

router.post('/', async (req, res, next) => {
  const { associationId, postcode, description, height, contactPhone } = req.body;
  if (!associationId || !postcode || !contactPhone) {
    return res.status(400).json({ error: 'associationId, postcode and contactPhone are required' });
  }
  try {
    const pin = await geocodePostcode(postcode);
    const { rows } = await pool.query(
      `INSERT INTO swarm_reports (association_id, postcode, lat, lng, description, height_m, contact_phone, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'reported')
       RETURNING id, created_at`,
      [associationId, postcode, pin.lat, pin.lng, description ?? null, height ?? null, contactPhone]
    );
    await notifyCollectors(associationId, rows[0].id);
    res.status(201).json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// Open swarms near the collector, most recent first.
router.get('/open', requireMember, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT id, postcode, lat, lng, description, height_m, created_at
         FROM swarm_reports
        WHERE association_id = $1 AND status = 'reported'
        ORDER BY created_at DESC
        LIMIT 50`,
      [req.member.associationId]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// A collector takes the job. The reporter gets a text with the collector's name.
router.post('/:id/claim', requireMember, async (req, res, next) => {
  const swarmId = Number(req.params.id);
  const { associationId, id: collectorId } = req.member;
  try {
    const { rows } = await pool.query(
      'SELECT id, status, collector_id, contact_phone FROM swarm_reports WHERE id = $1 AND association_id = $2',
      [swarmId, associationId]
    );
    if (rows.length === 0) {
      return res.status(404).json({ error: 'Swarm not found' });
    }
    const swarm = rows[0];
    if (swarm.status !== 'reported') {
      return res.status(409).json({ error: 'This swarm has already been claimed' });
    }

    await pool.query(
      `UPDATE swarm_reports
          SET status = 'claimed', collector_id = $1, claimed_at = now()
        WHERE id = $2 AND association_id = $3`,
      [collectorId, swarmId, associationId]
    );

    res.json({ id: swarmId, status: 'claimed', collectorId });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
