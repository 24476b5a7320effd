// server.js — mushroom foraging permits for the Forestry Trust estates.
// Started with `pm2 start server.js -i 4` (cluster mode) behind the Trust's nginx.
const express = require('express');
const { Pool } = require('pg');

const app = express();
app.use(express.json({ limit: '16kb' }));

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, statement_timeout: 5000 });

const WINDOW_MS = 60 * 60 * 1000;
const MAX_APPLICATIONS_PER_WINDOW = 5;
const SEASONS = new Set(['spring', 'autumn']);

// address -> timestamps of recent applications
const recentApplications = new Map();

function clientAddress(req) {
  const forwarded = req.headers['x-forwarded-for'];
  if (forwarded) return String(forwarded).split(',')[0].trim();
  return req.socket.remoteAddress;
}

function limitApplications(req, res, next) {
  const addr = clientAddress(req);
  const now = Date.now();
  const hits = (recentApplications.get(addr) || []).filter((t) => now - t < WINDOW_MS);
  if (hits.length >= MAX_APPLICATIONS_PER_WINDOW) {
    res.set('Retry-After', String(Math.ceil((hits[0] + WINDOW_MS - now) / 1000)));
    return res.status(429).json({ error: 'too many permit applications, please try later' });
  }
  hits.push(now);
  recentApplications.set(addr, hits);
  next();
}

// Drop idle addresses so the map doesn't keep every visitor forever.
setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const [addr, hits] of recentApplications) {
    if (hits.every((t) => t < cutoff)) recentApplications.delete(addr);
  }
}, 10 * 60 * 1000).unref();

app.post('/estates/:estateId/permits', limitApplications, async (req, res, next) => {
  const { applicantEmail, applicantName, season, species } = req.body || {};
  if (!applicantEmail || !applicantName || !SEASONS.has(season)) {
    return res.status(400).json({ error: 'name, email and a valid season are required' });
  }
  const speciesList = Array.isArray(species) ? species.slice(0, 20).map(String) : [];

  try {
    // One application per person per estate per season, enforced by the
    // unique index foraging_permits_estate_email_season_key.
    const { rows } = await pool.query(
      `INSERT INTO foraging_permits
              (estate_id, applicant_email, applicant_name, season, species, status, applied_at)
       VALUES ($1, lower($2), $3, $4, $5, 'pending', now())
       ON CONFLICT (estate_id, applicant_email, season) DO NOTHING
       RETURNING id, status`,
      [req.params.estateId, applicantEmail, applicantName, season, speciesList],
    );
    if (rows.length === 0) {
      return res.status(409).json({ error: 'you have already applied for this season' });
    }
    res.status(201).json({ permitId: rows[0].id, status: rows[0].status });
  } catch (err) {
    next(err);
  }
});

app.get('/estates/:estateId/permits/:permitId', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT id, season, status, species, decided_at
         FROM foraging_permits
        WHERE id = $1 AND estate_id = $2`,
      [req.params.permitId, req.params.estateId],
    );
    if (rows.length === 0) return res.status(404).json({ error: 'permit not found' });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

app.use((err, req, res, _next) => {
  console.error(err);
  res.status(500).json({ error: 'internal error' });
});

app.listen(Number(process.env.PORT) || 3000);
