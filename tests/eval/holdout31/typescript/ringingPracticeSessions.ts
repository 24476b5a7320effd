// src/routes/ringingSessions.ts
// Live practice sessions for the tower tablet app. The conductor opens a
// session on the tablet in the ringing chamber, ringers tap in to a rope, and
// the "who's on which bell" board updates as the method changes.
//
// Deployed on the diocesan guild's cluster: 4 pods behind the nginx ingress.
import { Router, Request, Response, NextFunction } from 'express';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { requireMember } from '../middleware/auth';

interface RingingSession {
  id: string;
  towerId: number;
  conductorId: number;
  method: string;
  ropes: Record<number, number | null>; // bell number -> ringer id
  startedAt: Date;
}

// Open sessions, keyed by session id.
const openSessions = new Map<string, RingingSession>();

export const ringingRouter = Router();
ringingRouter.use(requireMember);

ringingRouter.post('/towers/:towerId/sessions', (req: Request, res: Response) => {
  const bells = Math.min(Number(req.body.bells) || 6, 12);
  const session: RingingSession = {
    id: randomUUID(),
    towerId: Number(req.params.towerId),
    conductorId: req.user!.id,
    method: req.body.method ?? 'Plain Bob Doubles',
    ropes: Object.fromEntries(Array.from({ length: bells }, (_, i) => [i + 1, null])),
    startedAt: new Date(),
  };
  openSessions.set(session.id, session);
  res.status(201).json(session);
});

ringingRouter.post('/sessions/:sessionId/ropes/:bell', (req: Request, res: Response) => {
  const session = openSessions.get(req.params.sessionId);
  if (!session) return res.status(404).json({ error: 'Session is not open' });

  const bell = Number(req.params.bell);
  if (!(bell in session.ropes)) return res.status(400).json({ error: 'No such bell in this tower' });

  session.ropes[bell] = req.user!.id;
  res.json(session.ropes);
});

ringingRouter.get('/sessions/:sessionId', (req: Request, res: Response) => {
  const session = openSessions.get(req.params.sessionId);
  if (!session) return res.status(404).json({ error: 'Session is not open' });
  res.json(session);
});

// Closing a session writes the practice into the tower's ringing log.
ringingRouter.post('/sessions/:sessionId/close', async (req: Request, res: Response, next: NextFunction) => {
  const session = openSessions.get(req.params.sessionId);
  if (!session) return res.status(404).json({ error: 'Session is not open' });
  if (session.conductorId !== req.user!.id) return res.status(403).json({ error: 'Only the conductor can close' });

  const db = new Client({ connectionString: process.env.DATABASE_URL });
  try {
    await db.connect();
    await db.query(
      `INSERT INTO practice_log (tower_id, conductor_id, method, ringer_ids, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, now())`,
      [
        session.towerId,
        session.conductorId,
        session.method,
        Object.values(session.ropes).filter((id): id is number => id !== null),
        session.startedAt,
      ],
    );
    openSessions.delete(session.id);
    res.status(204).end();
  } catch (err) {
    next(err);
  } finally {
    await db.end();
  }
});
