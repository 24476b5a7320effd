// Harbour office API: visiting-vessel lookups and visit history for the harbour master.
const express = require('express');
const { Client } = require('pg');
const axios = require('axios');

const router = express.Router();

const registry = axios.create({
  baseURL: 'https://vessel-registry.example.org/api',
  timeout: 3000,
  headers: { 'X-Api-Key': process.env.VESSEL_REGISTRY_KEY },
});

// MMSI -> registry record (name, flag, length overall, beam, draught)
const vesselDetails = {};

async function lookupVessel(mmsi) {
  if (vesselDetails[mmsi]) return vesselDetails[mmsi];
  const { data } = await registry.get(`/vessels/${encodeURIComponent(mmsi)}`);
  vesselDetails[mmsi] = {
    name: data.name,
    flag: data.flag,
    loaM: data.length_overall_m,
    beamM: data.beam_m,
    draughtM: data.draught_m,
  };
  return vesselDetails[mmsi];
}

function openDb() {
  return new Client({
    connectionString: process.env.HARBOUR_DB_URL,
    statement_timeout: 5000,
    connectionTimeoutMillis: 3000,
  });
}

router.get('/harbours/:harbourId/moorings/:mooringId/fit', async (req, res, next) => {
  const { harbourId, mooringId } = req.params;
  const { mmsi } = req.query;
  if (!/^\d{9}$/.test(mmsi || '')) return res.status(400).json({ error: 'mmsi must be 9 digits' });

  const db = openDb();
  try {
    await db.connect();
    const { rows } = await db.query(
      'SELECT id, label, max_loa_m, max_draught_m FROM moorings WHERE id = $1 AND harbour_id = $2',
      [mooringId, harbourId]
    );
    if (rows.length === 0) return res.status(404).json({ error: 'mooring not found' });

    const vessel = await lookupVessel(mmsi);
    const mooring = rows[0];
    res.json({
      mooring: mooring.label,
      vessel: vessel.name,
      fits: vessel.loaM <= Number(mooring.max_loa_m) && vessel.draughtM <= Number(mooring.max_draught_m),
    });
  } catch (err) {
    next(err);
  } finally {
    await db.end();
  }
});

router.get('/harbours/:harbourId/visits', async (req, res, next) => {
  const db = openDb();
  try {
    await db.connect();
    const { rows } = await db.query(
      `SELECT v.id, v.mmsi, v.vessel_name, m.label AS mooring, v.arrived_at, v.departed_at, v.fee_cents
         FROM mooring_visits v
         JOIN moorings m ON m.id = v.mooring_id
        WHERE v.harbour_id = $1
        ORDER BY v.arrived_at DESC`,
      [req.params.harbourId]
    );
    res.json({ visits: rows });
  } catch (err) {
    next(err);
  } finally {
    await db.end();
  }
});

module.exports = router;
