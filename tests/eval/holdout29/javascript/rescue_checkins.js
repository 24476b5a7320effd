// routes/checkins.js
// Radio check-in API for field teams. Team leaders (or base, relaying a radio call)
// post a check-in every 30 minutes while a team is out on the hill.
// Deployed as the "mrt-ops" service: 3 pods behind the ingress, see k8s/deployment.yaml.

const express = require('express');
const { pool } = require('../db');
const { requireRole } = require('../auth');

const router = express.Router();

const SMS_GATEWAY_URL = process.env.SMS_GATEWAY_URL;
const OVERDUE_AFTER_MS = 45 * 60 * 1000;

// teamId -> { at, grid, callsign, alerted }
const lastCheckIns = new Map();

router.post('/teams/:teamId/checkins', requireRole('radio'), async (req, res, next) => {
  const teamId = Number(req.params.teamId);
  const { callsign, gridRef, status, note } = req.body;

  if (!callsign || !gridRef) {
    return res.status(400).json({ error: 'callsign and gridRef are required' });
  }

  try {
    const { rows } = await pool.query(
      `INSERT INTO radio_checkins (team_id, callsign, grid_ref, status, note, logged_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, created_at`,
      [teamId, callsign, gridRef, status || 'ok', note || null, req.user.id]
    );

    lastCheckIns.set(teamId, {
      at: Date.now(),
      grid: gridRef,
      callsign,
      alerted: false,
    });

    res.status(201).json({ id: rows[0].id, createdAt: rows[0].created_at });
  } catch (err) {
    next(err);
  }
});

router.get('/teams/:teamId/checkins', requireRole('radio'), async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  try {
    const { rows } = await pool.query(
      `SELECT id, callsign, grid_ref, status, note, created_at
         FROM radio_checkins
        WHERE team_id = $1
        ORDER BY created_at DESC
        LIMIT $2`,
      [Number(req.params.teamId), limit]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

router.get('/overdue', requireRole('radio'), (req, res) => {
  const now = Date.now();
  const overdue = [];
  for (const [teamId, entry] of lastCheckIns) {
    if (now - entry.at > OVERDUE_AFTER_MS) {
      overdue.push({ teamId, lastGrid: entry.grid, minutesLate: Math.round((now - entry.at) / 60000) });
    }
  }
  res.json(overdue);
});

async function alertDutyCoordinator(teamId, entry) {
  const body = {
    to: process.env.DUTY_COORDINATOR_MSISDN,
    text: `Team ${teamId} (${entry.callsign}) overdue. Last grid ${entry.grid}.`,
  };
  const resp = await fetch(SMS_GATEWAY_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.SMS_TOKEN}` },
    body: JSON.stringify(body),
  });
  if (!resp.ok) {
    throw new Error(`sms gateway responded ${resp.status}`);
  }
}

// Sweep once a minute and page the duty coordinator for teams that went quiet.
setInterval(async () => {
  const now = Date.now();
  for (const [teamId, entry] of lastCheckIns) {
    if (!entry.alerted && now - entry.at > OVERDUE_AFTER_MS) {
      entry.alerted = true;
      try {
        await alertDutyCoordinator(teamId, entry);
      } catch (err) {
        console.error('overdue alert failed', { teamId, err });
        entry.alerted = false;
      }
    }
  }
}, 60 * 1000).unref();

module.exports = router;
