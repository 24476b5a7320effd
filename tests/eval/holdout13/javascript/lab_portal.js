// patient-portal/routes/labResults.js
// Patients see their own lab results. Short-lived per-patient cache because the
// mobile app polls this screen while a result is "pending".
const express = require('express');
const NodeCache = require('node-cache');
const { pool } = require('../db');
const { requirePatient } = require('../auth');
const logger = require('../logger');

const router = express.Router();

// results are PHI and belong to exactly one patient -> keyed by patient, bounded
const resultsCache = new NodeCache({ stdTTL: 60, checkperiod: 30, maxKeys: 10000, useClones: false });

// LOINC code -> display info. Loaded once at boot from the reference table, read-only after.
const testCatalog = new Map();

async function loadTestCatalog() {
  const { rows } = await pool.query('SELECT loinc, display_name, units, ref_low, ref_high FROM lab_test_catalog');
  for (const r of rows) testCatalog.set(r.loinc, r);
  logger.info({ count: testCatalog.size }, 'lab test catalog loaded');
}

function decorate(row) {
  const t = testCatalog.get(row.loinc) || {};
  return {
    id: row.id,
    test: t.display_name || row.loinc,
    value: row.value,
    units: t.units,
    flag: t.ref_low != null && row.value < t.ref_low ? 'L' : t.ref_high != null && row.value > t.ref_high ? 'H' : null,
    status: row.status,
    collectedAt: row.collected_at,
  };
}

// GET /me/lab-results?page=1
router.get('/me/lab-results', requirePatient, async (req, res, next) => {
  const page = Math.max(parseInt(req.query.page, 10) || 1, 1);
  const key = `labs:${req.user.clinicId}:${req.user.patientId}:p${page}`;
  try {
    const cached = resultsCache.get(key);
    if (cached) return res.json(cached);

    const { rows } = await pool.query(
      `SELECT id, loinc, value, status, collected_at
         FROM lab_results
        WHERE clinic_id = $1 AND patient_id = $2
        ORDER BY collected_at DESC
        LIMIT 50 OFFSET $3`,
      [req.user.clinicId, req.user.patientId, (page - 1) * 50]
    );
    const body = { page, items: rows.map(decorate) };
    try {
      resultsCache.set(key, body);
    } catch (cacheErr) {
      // ECACHEFULL under load: serve uncached, but make it visible
      logger.warn({ err: cacheErr }, 'lab results cache full');
    }
    res.json(body);
  } catch (err) {
    next(err);
  }
});

// GET /me/lab-results/:id/report.pdf — proxied from the LIS vendor
router.get('/me/lab-results/:id/report.pdf', requirePatient, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      'SELECT lis_accession FROM lab_results WHERE id = $1 AND clinic_id = $2 AND patient_id = $3',
      [req.params.id, req.user.clinicId, req.user.patientId]
    );
    if (!rows.length) return res.sendStatus(404);

    const upstream = await fetch(`${process.env.LIS_URL}/reports/${rows[0].lis_accession}.pdf`, {
      headers: { Authorization: `Bearer ${process.env.LIS_TOKEN}` },
      signal: AbortSignal.timeout(8000),
    });
    if (!upstream.ok) throw new Error(`LIS responded ${upstream.status}`);
    res.type('application/pdf').send(Buffer.from(await upstream.arrayBuffer()));
  } catch (err) {
    logger.error({ err, resultId: req.params.id }, 'lab report download failed');
    next(err);
  }
});

module.exports = { router, loadTestCatalog };
