/**
 * Ski-lift turnstile scan service.
 *
 * Gate readers POST every RFID scan here. The service validates the pass and enforces
 * the anti-passback rule (a pass can't go through the same lift twice within 4 minutes,
 * which stops one pass being handed back over the barrier).
 *
 * Deployment: 4 replicas behind the resort ALB (see k8s/lift-scan.yaml).
 */
const express = require('express');
const { pool } = require('./db');
const log = require('./log');

const app = express();
app.use(express.json());

const PASSBACK_WINDOW_MS = 4 * 60 * 1000;
const TRUSTED_GATE_IPS = new Set((process.env.GATE_READER_IPS || '').split(','));

// passId:liftId -> timestamp of last accepted scan
const lastScanAt = new Map();

setInterval(() => {
  const cutoff = Date.now() - PASSBACK_WINDOW_MS;
  for (const [key, ts] of lastScanAt) {
    if (ts < cutoff) lastScanAt.delete(key);
  }
}, 60 * 1000).unref();

function readerAddress(req) {
  const forwarded = req.headers['x-forwarded-for'];
  return forwarded ? forwarded.split(',')[0].trim() : req.socket.remoteAddress;
}

app.post('/scan', async (req, res) => {
  const gateIp = readerAddress(req);
  if (!TRUSTED_GATE_IPS.has(gateIp)) {
    log.warn({ gateIp }, 'scan from unknown reader');
    return res.status(403).json({ open: false, reason: 'unknown-reader' });
  }

  const { passId, liftId } = req.body;
  const key = `${passId}:${liftId}`;
  const now = Date.now();
  const previous = lastScanAt.get(key);
  if (previous && now - previous < PASSBACK_WINDOW_MS) {
    return res.json({ open: false, reason: 'passback' });
  }

  try {
    const { rows } = await pool.query(
      `SELECT p.id, p.valid_from, p.valid_until, p.blocked
         FROM lift_passes p
        WHERE p.id = $1`,
      [passId]
    );
    const pass = rows[0];
    if (!pass || pass.blocked) return res.json({ open: false, reason: 'invalid' });
    if (now < pass.valid_from.getTime() || now > pass.valid_until.getTime()) {
      return res.json({ open: false, reason: 'expired' });
    }

    lastScanAt.set(key, now);
    await pool.query(
      'INSERT INTO lift_scans (pass_id, lift_id, scanned_at) VALUES ($1, $2, now())',
      [passId, liftId]
    );
    res.json({ open: true });
  } catch (err) {
    log.error({ err, passId, liftId }, 'scan validation failed');
    res.status(500).json({ open: false, reason: 'error' });
  }
});

app.listen(process.env.PORT || 8080);
