// Street-food market pitch applications for the Saturday riverside market.
// Public form posts here; started with `pm2 start server.js -i 4` on the council VM,
// nginx in front.
const express = require('express');
const { pool } = require('./db');
const { sendConfirmation } = require('./mailer');

const app = express();
app.use(express.json({ limit: '64kb' }));

const WINDOW_MS = 10 * 60 * 1000;
const MAX_APPLICATIONS_PER_WINDOW = 5;
const recentApplications = new Map(); // ip -> [timestamps]

function clientIp(req) {
  const forwarded = req.headers['x-forwarded-for'];
  return forwarded ? forwarded.split(',')[0].trim() : req.socket.remoteAddress;
}

function tooManyApplications(ip) {
  const now = Date.now();
  const recent = (recentApplications.get(ip) || []).filter((t) => now - t < WINDOW_MS);
  recent.push(now);
  recentApplications.set(ip, recent);
  return recent.length > MAX_APPLICATIONS_PER_WINDOW;
}

setInterval(() => {
  const now = Date.now();
  for (const [ip, stamps] of recentApplications) {
    if (stamps.every((t) => now - t >= WINDOW_MS)) recentApplications.delete(ip);
  }
}, WINDOW_MS).unref();

const CUISINES = new Set(['bbq', 'vegan', 'caribbean', 'dumplings', 'coffee', 'crepes', 'other']);

app.post('/markets/:marketDate/applications', async (req, res, next) => {
  if (tooManyApplications(clientIp(req))) {
    return res.status(429).json({ error: 'too many applications, try again later' });
  }

  const { traderName, email, cuisine, needsPower, pitchWidthM } = req.body;
  if (!traderName || !email || !CUISINES.has(cuisine)) {
    return res.status(400).json({ error: 'trader name, email and a known cuisine are required' });
  }
  const width = Math.min(Math.max(Number(pitchWidthM) || 3, 2), 6);

  try {
    const { rows } = await pool.query(
      `INSERT INTO pitch_applications (market_date, trader_name, email, cuisine, needs_power, pitch_width_m)
       VALUES ($1, $2, lower($3), $4, $5, $6)
       ON CONFLICT (market_date, email) DO NOTHING
       RETURNING id`,
      [req.params.marketDate, traderName, email, cuisine, !!needsPower, width],
    );
    if (rows.length === 0) {
      return res.status(409).json({ error: 'you have already applied for this market' });
    }
    await sendConfirmation(email, { marketDate: req.params.marketDate, applicationId: rows[0].id });
    res.status(201).json({ id: rows[0].id });
  } catch (err) {
    next(err);
  }
});

module.exports = app;
