// routes/chargingSessions.js
// Parking-garage EV charger sessions API (levels P2/P3, 48 bays).
// Deployed on k8s: 3 pods behind the garage-api ingress (see deploy/garage-api.yaml).

const express = require('express');
const { Pool } = require('pg');

const router = express.Router();
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const VOLTLINK_API = process.env.VOLTLINK_API || 'https://api.voltlink.example.com/v2';

// sessionId -> { bayId, startedAt, kwhAtStart } for sessions we are metering live
const liveSessions = new Map();

async function sendRemoteStart(chargerSerial, sessionId) {
  const resp = await fetch(`${VOLTLINK_API}/chargers/${chargerSerial}/remote-start`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${process.env.VOLTLINK_TOKEN}`,
    },
    body: JSON.stringify({ reference: String(sessionId) }),
  });
  if (!resp.ok) {
    throw new Error(`charger ${chargerSerial} refused remote start: ${resp.status}`);
  }
  return resp.json(); // { kwh, connector, firmware }
}

// POST /bays/:bayId/sessions  { vehiclePlate }
router.post('/bays/:bayId/sessions', async (req, res, next) => {
  const bayId = Number(req.params.bayId);
  const { vehiclePlate } = req.body;
  if (!vehiclePlate) return res.status(400).json({ error: 'vehiclePlate is required' });

  try {
    const { rows } = await pool.query(
      'SELECT id, charger_serial, status FROM charging_bays WHERE id = $1',
      [bayId]
    );
    const bay = rows[0];
    if (!bay) return res.status(404).json({ error: 'bay not found' });
    if (bay.status !== 'available') {
      return res.status(409).json({ error: 'bay is already in use' });
    }

    await pool.query(
      "UPDATE charging_bays SET status = 'charging', current_plate = $2 WHERE id = $1",
      [bayId, vehiclePlate]
    );
    const ins = await pool.query(
      'INSERT INTO charging_sessions (bay_id, plate, started_at) VALUES ($1, $2, now()) RETURNING id',
      [bayId, vehiclePlate]
    );
    const sessionId = ins.rows[0].id;

    const meter = await sendRemoteStart(bay.charger_serial, sessionId);
    liveSessions.set(sessionId, { bayId, startedAt: Date.now(), kwhAtStart: meter.kwh });

    res.status(201).json({ sessionId, connector: meter.connector });
  } catch (err) {
    next(err);
  }
});

// GET /sessions/:id/live — polled by the garage app every 10s
router.get('/sessions/:id/live', (req, res) => {
  const s = liveSessions.get(Number(req.params.id));
  if (!s) return res.status(404).json({ error: 'no live session' });
  res.json({
    bayId: s.bayId,
    minutes: Math.round((Date.now() - s.startedAt) / 60000),
    kwhAtStart: s.kwhAtStart,
  });
});

// POST /sessions/:id/stop
router.post('/sessions/:id/stop', async (req, res, next) => {
  const sessionId = Number(req.params.id);
  try {
    const upd = await pool.query(
      `UPDATE charging_sessions SET ended_at = now()
        WHERE id = $1 AND ended_at IS NULL
      RETURNING bay_id`,
      [sessionId]
    );
    if (upd.rowCount === 0) return res.status(409).json({ error: 'session already stopped' });

    await pool.query("UPDATE charging_bays SET status = 'available', current_plate = NULL WHERE id = $1", [
      upd.rows[0].bay_id,
    ]);
    liveSessions.delete(sessionId);
    res.json({ stopped: true });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
