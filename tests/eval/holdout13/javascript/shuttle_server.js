// shuttle-api/server.js
// Lot shuttles for SkyPark (airport long-term parking).
// Deploy: k8s Deployment "shuttle-api", replicas: 3, behind the ALB (see deploy/shuttle-api.yaml)
const express = require('express');
const { Pool } = require('pg');
const morgan = require('morgan');

const app = express();
app.use(express.json());
app.use(morgan('tiny'));

const pool = new Pool({ connectionString: process.env.PG_URL, max: 10, statement_timeout: 4000 });

// --- rate limiting for the public pickup endpoint ---
const hits = {}; // ip -> { n, resetAt }

function limit(max, windowMs) {
  return (req, res, next) => {
    const ip = (req.headers['x-forwarded-for'] || '').split(',')[0].trim() || req.socket.remoteAddress;
    const now = Date.now();
    let h = hits[ip];
    if (!h || h.resetAt < now) {
      h = hits[ip] = { n: 0, resetAt: now + windowMs };
    }
    h.n++;
    if (h.n > max) {
      res.set('Retry-After', Math.ceil((h.resetAt - now) / 1000));
      return res.status(429).json({ error: 'too many requests' });
    }
    next();
  };
}

// live positions pushed by the driver tablets every ~5s
const shuttlePositions = new Map(); // shuttleId -> { lotId, lat, lng, heading, at }

function driverAuth(req, res, next) {
  if (req.get('x-driver-token') !== process.env.DRIVER_TOKEN) return res.sendStatus(401);
  next();
}

app.post('/shuttles/:id/position', driverAuth, (req, res) => {
  const { lotId, lat, lng, heading } = req.body;
  shuttlePositions.set(req.params.id, { lotId, lat, lng, heading, at: Date.now() });
  res.sendStatus(204);
});

app.get('/lots/:lotId/shuttles', (req, res) => {
  const cutoff = Date.now() - 60000;
  const out = [];
  for (const [id, p] of shuttlePositions) {
    if (p.lotId === req.params.lotId && p.at > cutoff) out.push({ id, ...p });
  }
  res.json(out);
});

// 6 lots, rarely changes
app.get('/lots', async (req, res, next) => {
  try {
    const { rows } = await pool.query('SELECT id, name, terminal, lat, lng FROM lots ORDER BY name');
    res.json(rows);
  } catch (e) {
    next(e);
  }
});

// rider asks for a pickup from their row/space
app.post('/pickups', limit(5, 60000), async (req, res, next) => {
  const { lotId, row, phone, passengers } = req.body;
  if (!lotId || !row || !phone) return res.status(400).json({ error: 'lotId, row, phone required' });
  try {
    const { rows } = await pool.query(
      `INSERT INTO pickup_requests (lot_id, row_label, phone, passengers, status)
       VALUES ($1, $2, $3, $4, 'waiting') RETURNING id, created_at`,
      [lotId, row, phone, passengers || 1]
    );
    res.status(201).json(rows[0]);
  } catch (e) {
    next(e);
  }
});

// dispatcher screen
app.get('/dispatch/pickups', driverAuth, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT id, lot_id, row_label, passengers, created_at
         FROM pickup_requests
        WHERE status = 'waiting'
        ORDER BY created_at
        LIMIT 50`
    );
    res.json(rows);
  } catch (e) {
    next(e);
  }
});

app.listen(process.env.PORT || 8080, () => console.log('shuttle-api up'));
