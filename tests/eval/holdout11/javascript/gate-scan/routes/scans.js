// gate-api: endpoints hit by the handheld scanners at the venue gates
// k8s deployment "gate-api", replicas: 3 (one per entrance cluster), behind the venue LB
const express = require('express');
const { Pool } = require('pg');
const fetch = require('node-fetch');

const router = express.Router();
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// last scan per handheld, shown on the supervisor screen
const deviceState = new Map();

function ok(res, body) {
  return res.json(Object.assign({ ok: true }, body));
}

router.post('/scan', async (req, res) => {
  const { barcode, gateId, deviceId } = req.body;
  if (!barcode || !gateId) return res.status(400).json({ ok: false, error: 'missing fields' });

  const { rows } = await pool.query(
    'SELECT id, event_id, status, scanned_at FROM tickets WHERE barcode = $1',
    [barcode]
  );
  const t = rows[0];
  if (!t) return res.status(404).json({ ok: false, error: 'unknown ticket' });
  if (t.status === 'scanned') {
    return res.status(409).json({ ok: false, error: 'already scanned', at: t.scanned_at });
  }
  if (t.status === 'void') return res.status(410).json({ ok: false, error: 'ticket voided' });

  await pool.query(
    "UPDATE tickets SET status = 'scanned', scanned_at = now(), gate_id = $2 WHERE id = $1",
    [t.id, gateId]
  );
  deviceState.set(deviceId, { gateId, lastScan: Date.now(), ticketId: t.id });

  // promoter wants realtime entry counts
  await fetch(process.env.PROMOTER_HOOK_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ eventId: t.event_id, ticketId: t.id, gateId }),
  });

  ok(res, { ticketId: t.id });
});

router.get('/devices', (req, res) => {
  const devices = [];
  for (const [id, s] of deviceState) devices.push({ id, ...s });
  ok(res, { devices });
});

router.get('/tickets/:barcode', async (req, res) => {
  const { rows } = await pool.query(
    'SELECT id, event_id, status, scanned_at, gate_id FROM tickets WHERE barcode = $1',
    [req.params.barcode]
  );
  if (!rows.length) return res.status(404).json({ ok: false });
  ok(res, { ticket: rows[0] });
});

module.exports = router;
