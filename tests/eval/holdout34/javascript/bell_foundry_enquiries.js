// server/enquiries.js
// Public enquiry form for bell foundry visit bookings (group tours of the
// casting floor and tuning shop). The form is unauthenticated, so we throttle it.
//
// Deployed as 3 pods behind the nginx ingress (see deploy/foundry-web.yaml, replicas: 3).

const express = require('express');
const { pool } = require('./db');
const { enqueue } = require('./queue');
const log = require('./log');

const app = express();
app.set('trust proxy', false);
app.use(express.json({ limit: '16kb' }));

const WINDOW_MS = 10 * 60 * 1000;
const MAX_ENQUIRIES_PER_WINDOW = 5;

// ip -> array of timestamps within the current window
const enquiryHits = new Map();

function clientAddress(req) {
  const forwarded = req.headers['x-forwarded-for'];
  if (forwarded) return forwarded.split(',')[0].trim();
  return req.socket.remoteAddress;
}

function throttleEnquiries(req, res, next) {
  const ip = clientAddress(req);
  const now = Date.now();
  const recent = (enquiryHits.get(ip) || []).filter((t) => now - t < WINDOW_MS);

  if (recent.length >= MAX_ENQUIRIES_PER_WINDOW) {
    res.set('Retry-After', String(Math.ceil(WINDOW_MS / 1000)));
    return res.status(429).json({ error: 'Too many enquiries, please try again later.' });
  }

  recent.push(now);
  enquiryHits.set(ip, recent);
  return next();
}

// Drop idle addresses so the map does not keep every visitor forever.
setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const [ip, stamps] of enquiryHits) {
    if (stamps.every((t) => t < cutoff)) enquiryHits.delete(ip);
  }
}, 60 * 1000).unref();

function validateEnquiry(body) {
  const errors = [];
  if (!body.contactName || body.contactName.length > 120) errors.push('contactName');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email || '')) errors.push('email');
  const size = Number(body.groupSize);
  if (!Number.isInteger(size) || size < 1 || size > 30) errors.push('groupSize');
  if (!body.preferredDate || Number.isNaN(Date.parse(body.preferredDate))) errors.push('preferredDate');
  return errors;
}

app.post('/api/visit-enquiries', throttleEnquiries, async (req, res, next) => {
  const errors = validateEnquiry(req.body);
  if (errors.length) return res.status(400).json({ error: 'invalid fields', fields: errors });

  try {
    const { rows } = await pool.query(
      `INSERT INTO visit_enquiries (contact_name, email, group_size, preferred_date, notes)
       VALUES ($1, $2, $3, $4, $5)
       RETURNING id`,
      [req.body.contactName, req.body.email, req.body.groupSize, req.body.preferredDate, req.body.notes || null]
    );

    await enqueue('notify-foundry-office', { enquiryId: rows[0].id });
    log.info({ enquiryId: rows[0].id }, 'visit enquiry received');
    return res.status(201).json({ id: rows[0].id });
  } catch (err) {
    return next(err);
  }
});

module.exports = app;
