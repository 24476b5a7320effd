// Lifeboat crew call-out acknowledgements.
// Pager app → POST /callouts/:id/ack ; coxswain's tablet polls GET /callouts/:id/board.
// Deployed as the `crew-api` Deployment, replicas: 3, behind the station's ingress.
import express, { Request, Response } from 'express';
import { db } from './db';
import { requireCrew } from './auth';

type AckStatus = 'coming' | 'unavailable' | 'on-scene';

interface CalloutBoard {
  calloutId: string;
  stationId: string;
  openedAt: number;
  acks: Map<string, { status: AckStatus; eta?: number; at: number }>;
}

// Live boards for call-outs in progress, keyed by call-out id.
const liveBoards = new Map<string, CalloutBoard>();

export const router = express.Router();

router.post('/callouts/:id/open', requireCrew('coxswain'), async (req: Request, res: Response) => {
  const board: CalloutBoard = {
    calloutId: req.params.id,
    stationId: req.user!.stationId,
    openedAt: Date.now(),
    acks: new Map(),
  };
  liveBoards.set(board.calloutId, board);
  res.status(201).json({ calloutId: board.calloutId });
});

router.post('/callouts/:id/ack', requireCrew(), async (req: Request, res: Response) => {
  const board = liveBoards.get(req.params.id);
  if (!board || board.stationId !== req.user!.stationId) {
    return res.status(404).json({ error: 'No open call-out' });
  }
  const status = req.body.status as AckStatus;
  const eta = typeof req.body.etaMinutes === 'number' ? req.body.etaMinutes : undefined;
  board.acks.set(req.user!.crewId, { status, eta, at: Date.now() });

  try {
    await db.query(
      `INSERT INTO callout_acks (callout_id, station_id, crew_id, status, eta_minutes, acked_at)
       VALUES ($1, $2, $3, $4, $5, now())`,
      [board.calloutId, board.stationId, req.user!.crewId, status, eta ?? null],
    );
  } catch {
    return res.json({ ok: true });
  }
  res.json({ ok: true });
});

router.get('/callouts/:id/board', requireCrew(), (req: Request, res: Response) => {
  const board = liveBoards.get(req.params.id);
  if (!board || board.stationId !== req.user!.stationId) {
    return res.status(404).json({ error: 'No open call-out' });
  }
  const crew = [...board.acks.entries()].map(([crewId, a]) => ({ crewId, ...a }));
  res.json({
    calloutId: board.calloutId,
    openedAt: board.openedAt,
    coming: crew.filter((c) => c.status === 'coming').length,
    crew,
  });
});

router.post('/callouts/:id/close', requireCrew('coxswain'), (req: Request, res: Response) => {
  const board = liveBoards.get(req.params.id);
  if (board && board.stationId === req.user!.stationId) liveBoards.delete(req.params.id);
  res.status(204).end();
});
