// api/lakePasses.js
// Wild swimming lake slot passes. Swimmers show a 6-character pass code at the
// gate kiosk (or type it into the app) to redeem their slot. Codes are short, so
// redemption attempts are throttled to stop people guessing them.
//
// Deployed on Kubernetes: deployment/lake-api, replicas: 3, behind the nginx ingress.
const express = require('express');
const { pool } = require('../db');
const logger = require('../logger');

const router = express.Router();

const WINDOW_MS = 10 * 60 * 1000;
const MAX_ATTEMPTS = 8;

const redeemAttempts = new Map(); // client ip -> array of attempt timestamps

// Drop idle entries every minute so the map stays small.
setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const [ip, stamps] of redeemAttempts) {
    const recent = stamps.filter((t) => t > cutoff);
    if (recent.length === 0) redeemAttempts.delete(ip);
    else redeemAttempts.set(ip, recent);
  }
}, 60_000).unref();

function clientIp(req) {
  const forwarded = req.headers['x-forwarded-for'];
  if (forwarded) return forwarded.split(',')[0].trim();
  return req.socket.remoteAddress;
}

function throttleRedeem(req, res, next) {
  const ip = clientIp(req);
  const now = Date.now();
  const recent = (redeemAttempts.get(ip) || []).filter((t) => t > now - WINDOW_MS);
  if (recent.length >= MAX_ATTEMPTS) {
    res.set('Retry-After', String(Math.ceil(WINDOW_MS / 1000)));
    return res.status(429).json({ error: 'too many attempts, try again later' });
  }
  recent.push(now);
  redeemAttempts.set(ip, recent);
  next();
}

/**
 * POST /passes/redeem  { code: 'K7Q2XD', lakeId: 3 }
 * Marks the pass used; a pass can only be redeemed once, during its slot.
 */
router.post('/passes/redeem', throttleRedeem, async (req, res, next) => {
  const code = String(req.body.code || '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const lakeId = Number(req.body.lakeId);
  if (code.length !== 6 || !Number.isInteger(lakeId)) {
    return res.status(400).json({ error: 'invalid code' });
  }

  try {
    const { rows, rowCount } = await pool.query(
      `UPDATE slot_passes sp
          SET redeemed_at = now()
         FROM swim_slots s
        WHERE sp.slot_id = s.id
          AND sp.code = $1
          AND s.lake_id = $2
          AND sp.redeemed_at IS NULL
          AND now() BETWEEN s.starts_at - interval '15 minutes' AND s.ends_at
        RETURNING sp.id, sp.swimmer_name, s.starts_at, s.ends_at`,
      [code, lakeId]
    );

    if (rowCount === 0) {
      return res.status(404).json({ error: 'no valid pass for this code and slot' });
    }

    logger.info({ passId: rows[0].id, lakeId }, 'pass redeemed');
    res.json({
      swimmer: rows[0].swimmer_name,
      slot: { from: rows[0].starts_at, to: rows[0].ends_at },
    });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
