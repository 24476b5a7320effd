// Canal lock-keeper shift handovers.
// At each shift change the outgoing keeper records water levels, paddle/gate faults
// and boats waiting; the incoming keeper acknowledges. The handheld app retries
// on flaky towpath signal, so every submission carries an Idempotency-Key.
// Service runs as 3 replicas (see deploy/handover.yaml).

import express, { Request, Response, NextFunction } from 'express';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Pool } from 'pg';

const redis = new Redis(process.env.REDIS_URL!, { commandTimeout: 1000, connectTimeout: 3000 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, statement_timeout: 5000 });

const RELEASE_LUA = `
  if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
  end
  return 0`;

interface HandoverBody {
  waterLevelUpperM: number;
  waterLevelLowerM: number;
  faults: string[];
  boatsWaiting: number;
  notes?: string;
}

export const handoverRouter = express.Router();

handoverRouter.post('/locks/:lockId/handovers', async (req: Request, res: Response, next: NextFunction) => {
  const lockId = Number(req.params.lockId);
  const idemKey = req.get('idempotency-key');
  if (!idemKey) return res.status(400).json({ error: 'Idempotency-Key header required' });
  const body = req.body as HandoverBody;

  // Only one handover per lock station may be in progress at a time.
  const mutexKey = `handover:mutex:${lockId}`;
  const token = randomUUID();
  let acquired: 'OK' | null;
  try {
    acquired = await redis.set(mutexKey, token, 'PX', 15_000, 'NX');
  } catch (err) {
    return next(err);
  }
  if (acquired !== 'OK') {
    return res.status(409).json({ error: 'another handover for this lock is being recorded' });
  }

  try {
    const { rows } = await pool.query(
      `INSERT INTO shift_handovers
         (lock_id, idempotency_key, outgoing_keeper_id, upper_level_m, lower_level_m, faults, boats_waiting, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (lock_id, idempotency_key) DO NOTHING
       RETURNING id, created_at`,
      [lockId, idemKey, req.user!.keeperId, body.waterLevelUpperM, body.waterLevelLowerM,
       body.faults, body.boatsWaiting, body.notes ?? null]
    );

    if (rows.length === 0) {
      const existing = await pool.query(
        'SELECT id, created_at FROM shift_handovers WHERE lock_id = $1 AND idempotency_key = $2',
        [lockId, idemKey]
      );
      return res.status(200).json({ id: existing.rows[0].id, createdAt: existing.rows[0].created_at, replay: true });
    }
    res.status(201).json({ id: rows[0].id, createdAt: rows[0].created_at });
  } catch (err) {
    next(err);
  } finally {
    await redis.eval(RELEASE_LUA, 1, mutexKey, token);
  }
});

handoverRouter.post('/handovers/:id/acknowledge', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { rowCount } = await pool.query(
      `UPDATE shift_handovers
          SET incoming_keeper_id = $2, acknowledged_at = now()
        WHERE id = $1 AND acknowledged_at IS NULL AND outgoing_keeper_id <> $2`,
      [req.params.id, req.user!.keeperId]
    );
    if (rowCount === 0) return res.status(409).json({ error: 'already acknowledged or own handover' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

handoverRouter.get('/locks/:lockId/handovers', async (req: Request, res: Response, next: NextFunction) => {
  const limit = Math.min(Number(req.query.limit) || 14, 60);
  try {
    const { rows } = await pool.query(
      `SELECT id, outgoing_keeper_id, incoming_keeper_id, upper_level_m, lower_level_m,
              faults, boats_waiting, notes, created_at, acknowledged_at
         FROM shift_handovers WHERE lock_id = $1
        ORDER BY created_at DESC LIMIT $2`,
      [Number(req.params.lockId), limit]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});
