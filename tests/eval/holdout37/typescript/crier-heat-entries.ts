// Town crier competition: stewards build each heat's running order and
// criers enter heats. While a steward is re-ordering a heat, other stewards
// get a "being edited" notice.
//
// Service: crier-heats-api, Deployment replicas: 3 (k8s, council cluster).

import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { pool } from './db';
import { mailer } from './mailer';

type DrawLock = { stewardId: string; stewardName: string; since: number };

const drawLocks = new Map<number, DrawLock>();
const DRAW_LOCK_MS = 5 * 60 * 1000;

export function lockDraw(req: Request, res: Response) {
  const heatId = Number(req.params.heatId);
  const current = drawLocks.get(heatId);
  const now = Date.now();

  if (current && current.stewardId !== req.user!.id && now - current.since < DRAW_LOCK_MS) {
    return res.status(423).json({ error: `Being edited by ${current.stewardName}` });
  }
  drawLocks.set(heatId, { stewardId: req.user!.id, stewardName: req.user!.name, since: now });
  return res.status(204).end();
}

export function unlockDraw(req: Request, res: Response) {
  const heatId = Number(req.params.heatId);
  if (drawLocks.get(heatId)?.stewardId === req.user!.id) {
    drawLocks.delete(heatId);
  }
  return res.status(204).end();
}

// Entering a heat: the crier gets an emailed link and must confirm within
// 48 hours (guild, bell, costume). Confirming uses the token exactly once.
export async function requestEntry(req: Request, res: Response) {
  const heatId = Number(req.params.heatId);
  const token = randomBytes(24).toString('base64url');

  await pool.query(
    `INSERT INTO entry_confirmations (token, heat_id, crier_id, expires_at) VALUES ($1, $2, $3, now() + interval '48 hours')`,
    [token, heatId, req.user!.crierId],
  );
  await mailer.enqueue('heat-entry-confirm', { to: req.user!.email, heatId, token });
  return res.status(202).json({ heatId, status: 'confirmation-sent' });
}

export async function confirmEntry(req: Request, res: Response) {
  const { rows } = await pool.query(
    `UPDATE entry_confirmations
        SET used_at = now()
      WHERE token = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING heat_id, crier_id`,
    [req.params.token],
  );
  if (rows.length === 0) {
    return res.status(410).json({ error: 'Link expired or already used' });
  }

  await pool.query(
    `INSERT INTO heat_entries (heat_id, crier_id, entered_at) VALUES ($1, $2, now())
     ON CONFLICT (heat_id, crier_id) DO NOTHING`,
    [rows[0].heat_id, rows[0].crier_id],
  );
  return res.status(201).json({ heatId: rows[0].heat_id });
}
