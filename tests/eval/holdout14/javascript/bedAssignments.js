// routes/bedAssignments.js
// Bed board API used by the charge nurses' dashboard and the ED tracking screen.
// Runs on 3 pods behind the hospital ALB; each pod has its own pg pool (see ../db.js).
const express = require('express');
const { pool } = require('../db');
const { requireStaff, requireRole } = require('../middleware/auth');
const audit = require('../lib/audit');

const router = express.Router();

// GET /wards/:wardId/beds  -> current state of every bed on the ward (max ~40 beds)
router.get('/wards/:wardId/beds', requireStaff, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT b.id, b.label, b.status, b.isolation, p.mrn, p.display_name
         FROM beds b
         LEFT JOIN patients p ON p.current_bed_id = b.id
        WHERE b.ward_id = $1
        ORDER BY b.label`,
      [req.params.wardId]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// POST /wards/:wardId/beds/:bedId/hold
// ED bed coordinator reserves a clean bed for an incoming admission (20 min hold).
router.post('/wards/:wardId/beds/:bedId/hold', requireStaff, async (req, res, next) => {
  const { wardId, bedId } = req.params;
  const { patientMrn } = req.body;
  if (!patientMrn) return res.status(400).json({ error: 'patientMrn required' });

  try {
    const { rows } = await pool.query(
      'SELECT status, isolation FROM beds WHERE id = $1 AND ward_id = $2',
      [bedId, wardId]
    );
    if (rows.length === 0) return res.status(404).json({ error: 'bed not found' });
    if (rows[0].status !== 'clean_available') {
      return res.status(409).json({ error: `bed is ${rows[0].status}` });
    }

    await pool.query("UPDATE beds SET status = 'held', updated_at = now() WHERE id = $1", [bedId]);
    await pool.query(
      `INSERT INTO bed_holds (bed_id, patient_mrn, held_by, hold_until)
       VALUES ($1, $2, $3, now() + interval '20 minutes')`,
      [bedId, patientMrn, req.user.id]
    );
    audit.log(req.user, 'bed.hold', { bedId, patientMrn });
    res.status(201).json({ bedId, status: 'held' });
  } catch (err) {
    next(err);
  }
});

// POST /wards/:wardId/beds/:bedId/occupy  -> patient physically arrived
router.post('/wards/:wardId/beds/:bedId/occupy', requireStaff, async (req, res, next) => {
  const { wardId, bedId } = req.params;
  try {
    const result = await pool.query(
      `UPDATE beds SET status = 'occupied', updated_at = now()
        WHERE id = $1 AND ward_id = $2 AND status = 'held'`,
      [bedId, wardId]
    );
    if (result.rowCount === 0) return res.status(409).json({ error: 'bed is not held' });
    audit.log(req.user, 'bed.occupy', { bedId });
    res.json({ bedId, status: 'occupied' });
  } catch (err) {
    next(err);
  }
});

// GET /wards/:wardId/history  -> movement log for the bed-management report screen
router.get('/wards/:wardId/history', requireRole('bed_manager'), async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT e.id, e.bed_id, e.event_type, e.patient_mrn, e.actor_id, e.created_at
         FROM bed_events e
         JOIN beds b ON b.id = e.bed_id
        WHERE b.ward_id = $1
        ORDER BY e.created_at DESC`,
      [req.params.wardId]
    );
    res.json({ events: rows });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
