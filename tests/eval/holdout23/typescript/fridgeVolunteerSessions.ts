// server/volunteerAuth.ts — community fridge volunteer portal.
// Runs as the `fridge-portal` Deployment (replicas: 3) behind the ingress.
import crypto from 'node:crypto';
import axios from 'axios';
import bcrypt from 'bcryptjs';
import express, { NextFunction, Request, Response } from 'express';
import { db } from './db'; // knex, pooled

interface VolunteerSession {
  volunteerId: string;
  fridgeIds: string[];
  expiresAt: number;
}

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const sessions = new Map<string, VolunteerSession>();

// Sweep expired sessions every 15 minutes.
setInterval(() => {
  const now = Date.now();
  for (const [sid, s] of sessions) {
    if (s.expiresAt < now) sessions.delete(sid);
  }
}, 15 * 60 * 1000).unref();

const notify = axios.create({ baseURL: process.env.NOTIFY_URL, timeout: 4000 });

async function announceShiftStart(volunteerName: string, fridgeNames: string[]): Promise<void> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      await notify.post('/channels/fridge-volunteers', {
        text: `${volunteerName} is on shift at ${fridgeNames.join(', ')}`,
      });
      return;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export const router = express.Router();

router.post('/login', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { email, pin } = req.body ?? {};
    const volunteer = await db('volunteers')
      .where({ email: String(email ?? '').toLowerCase(), active: true })
      .first('id', 'display_name', 'pin_hash');
    if (!volunteer || !(await bcrypt.compare(String(pin ?? ''), volunteer.pin_hash))) {
      return res.status(401).json({ error: 'email or PIN not recognised' });
    }
    const fridgeIds: string[] = await db('fridge_rota').where({ volunteer_id: volunteer.id }).limit(20).pluck('fridge_id');

    const sid = crypto.randomBytes(32).toString('base64url');
    sessions.set(sid, { volunteerId: volunteer.id, fridgeIds, expiresAt: Date.now() + SESSION_TTL_MS });
    res.cookie('fridge_sid', sid, { httpOnly: true, secure: true, sameSite: 'lax', maxAge: SESSION_TTL_MS });
    res.json({ name: volunteer.display_name, fridgeIds });
  } catch (err) {
    next(err);
  }
});

export function requireVolunteer(req: Request, res: Response, next: NextFunction) {
  const sid: string | undefined = req.cookies?.fridge_sid;
  const session = sid ? sessions.get(sid) : undefined;
  if (!session || session.expiresAt < Date.now()) {
    return res.status(401).json({ error: 'please log in again' });
  }
  res.locals.volunteer = session;
  next();
}

router.post('/shift/start', requireVolunteer, async (_req: Request, res: Response, next: NextFunction) => {
  const { volunteerId, fridgeIds } = res.locals.volunteer as VolunteerSession;
  try {
    await db('volunteer_shifts').insert({ volunteer_id: volunteerId, fridge_ids: fridgeIds, started_at: db.fn.now() });
    const [volunteer, fridges] = await Promise.all([
      db('volunteers').where({ id: volunteerId }).first('display_name'),
      db('fridges').whereIn('id', fridgeIds).select('name'),
    ]);
    await announceShiftStart(volunteer.display_name, fridges.map((f: { name: string }) => f.name));
    res.status(201).json({ ok: true });
  } catch (err) {
    next(err);
  }
});

router.post('/logout', (req: Request, res: Response) => {
  const sid: string | undefined = req.cookies?.fridge_sid;
  if (sid) sessions.delete(sid);
  res.clearCookie('fridge_sid').status(204).end();
});
