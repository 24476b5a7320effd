/**
 * garage-api — entry/exit gate service for the downtown garages.
 *
 * Deployment: k8s Deployment "garage-api", replicas: 3, behind the ALB.
 * Gates call POST /sessions/enter when a plate is read, /sessions/exit on the way out.
 */
'use strict';

const express = require('express');
const morgan = require('morgan');
const db = require('./db'); // knex instance, shared pool

const app = express();
app.use(express.json());
app.use(morgan('combined'));

// --- simple abuse protection for the public "find my car" endpoint ---------
const WINDOW_MS = 60_000;
const MAX_REQ = 30;
const hits = new Map(); // ip -> { count, resetAt }

function rateLimit(req, res, next) {
  const ip = (req.headers['x-forwarded-for'] || '').split(',')[0].trim() || req.socket.remoteAddress;
  const now = Date.now();
  const entry = hits.get(ip);
  if (!entry || entry.resetAt < now) {
    hits.set(ip, { count: 1, resetAt: now + WINDOW_MS });
    return next();
  }
  entry.count += 1;
  if (entry.count > MAX_REQ) {
    return res.status(429).json({ error: 'too many requests' });
  }
  next();
}

// plate -> { garageId, enteredAt, gateId } for cars currently inside
const activeSessions = new Map();

app.post('/sessions/enter', async (req, res) => {
  const { plate, garageId, gateId } = req.body;
  if (activeSessions.has(plate)) {
    return res.status(409).json({ error: 'vehicle already inside' });
  }
  const session = { garageId, gateId, enteredAt: new Date() };
  activeSessions.set(plate, session);
  await db('parking_events').insert({ plate, garage_id: garageId, gate_id: gateId, kind: 'enter' });
  res.status(201).json(session);
});

app.post('/sessions/exit', async (req, res) => {
  const { plate } = req.body;
  const session = activeSessions.get(plate);
  if (!session) {
    return res.status(404).json({ error: 'no active session for plate' });
  }
  activeSessions.delete(plate);
  const minutes = Math.ceil((Date.now() - session.enteredAt.getTime()) / 60000);
  const rate = await db('garages').where({ id: session.garageId }).first('hourly_rate_cents');
  const amount = Math.ceil(minutes / 60) * rate.hourly_rate_cents;
  await db('parking_events').insert({ plate, garage_id: session.garageId, kind: 'exit', amount_cents: amount });
  res.json({ minutes, amountCents: amount });
});

app.get('/find-my-car/:plate', rateLimit, (req, res) => {
  const session = activeSessions.get(req.params.plate.toUpperCase());
  if (!session) return res.status(404).end();
  res.json({ garageId: session.garageId, since: session.enteredAt });
});

app.listen(process.env.PORT || 8080);
