// routes/waterTests.js
// Village well water-quality results. Volunteers upload sample metadata, the
// county lab returns coliform / nitrate figures which we store per test.
const express = require('express');
const axios = require('axios');
const db = require('../db/knex');
const { requireVolunteer } = require('../middleware/auth');

const router = express.Router();

const LAB_API = process.env.COUNTY_LAB_API || 'https://lab.example-county.gov.uk/api/v2';

function toPublicTest(row) {
  return {
    id: row.id,
    wellId: row.well_id,
    sampledAt: row.sampled_at,
    coliformCfu: row.coliform_cfu,
    nitrateMgL: row.nitrate_mg_l,
    status: row.status,
    passed: row.coliform_cfu === 0 && (row.nitrate_mg_l ?? 0) < 50,
  };
}

// Full history for a well, newest first. Used by the well detail page and
// by the parish council's annual report export.
router.get('/wells/:wellId/tests', async (req, res, next) => {
  try {
    const wellId = Number(req.params.wellId);
    const well = await db('wells').where({ id: wellId }).first();
    if (!well) return res.status(404).json({ error: 'well not found' });

    const rows = await db('water_tests').where({ well_id: wellId }).orderBy('sampled_at', 'desc');
    res.json({ well: { id: well.id, name: well.name }, tests: rows.map(toPublicTest) });
  } catch (err) {
    next(err);
  }
});

router.post('/wells/:wellId/tests', requireVolunteer, async (req, res, next) => {
  try {
    const { sampledAt, bottleCode } = req.body;
    if (!sampledAt || !bottleCode) {
      return res.status(400).json({ error: 'sampledAt and bottleCode are required' });
    }
    const [test] = await db('water_tests')
      .insert({
        well_id: Number(req.params.wellId),
        sampled_at: sampledAt,
        bottle_code: bottleCode,
        collected_by: req.user.id,
        status: 'collected',
      })
      .returning('*');
    res.status(201).json(toPublicTest(test));
  } catch (err) {
    next(err);
  }
});

// Tell the lab a bottle is on its way so they can book it in. The test is
// claimed with a conditional update first so a double click submits once.
router.post('/tests/:id/submit', requireVolunteer, async (req, res, next) => {
  const testId = Number(req.params.id);
  try {
    const claimed = await db('water_tests')
      .where({ id: testId, status: 'collected' })
      .update({ status: 'submitting' })
      .returning('*');
    if (claimed.length === 0) {
      return res.status(409).json({ error: 'test not found or already submitted' });
    }
    const test = claimed[0];

    let labResponse;
    try {
      labResponse = await axios.post(`${LAB_API}/submissions`, {
        reference: `WELL-${test.well_id}-${test.id}`,
        bottleCode: test.bottle_code,
        sampledAt: test.sampled_at,
      }, {
        headers: { Authorization: `Bearer ${process.env.COUNTY_LAB_TOKEN}` },
      });
    } catch (err) {
      await db('water_tests').where({ id: testId }).update({ status: 'collected' });
      throw err;
    }

    await db('water_tests')
      .where({ id: testId })
      .update({ status: 'submitted', lab_ref: labResponse.data.submissionId });

    res.json({ id: testId, status: 'submitted', labRef: labResponse.data.submissionId });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
