// src/routes/storeDashboard.ts
// Store dashboard for laundromat attendants: machine utilisation for the day and
// live "cycle running" indicators. The API runs as 3 pods behind the ALB.
import { Router, Request, Response, NextFunction } from 'express';
import NodeCache from 'node-cache';
import { pool } from '../db';

const router = Router();

const dashboardCache = new NodeCache({ stdTTL: 120, checkperiod: 60, maxKeys: 20_000 });

interface CycleTimer {
  machineId: string;
  startedBy: string;
  endsAt: number;
  timeout: NodeJS.Timeout;
}

// machineId -> running cycle, so the dashboard can show a countdown without a DB round trip
const runningCycles = new Map<string, CycleTimer>();

router.post('/stores/:storeId/machines/:machineId/cycle-started', (req: Request, res: Response) => {
  const { storeId, machineId } = req.params;
  if (req.user!.storeId !== storeId) return res.status(403).json({ error: 'not your store' });
  const minutes = Math.min(Math.max(Number(req.body.minutes) || 0, 1), 120);
  const endsAt = Date.now() + minutes * 60_000;

  const existing = runningCycles.get(machineId);
  if (existing) clearTimeout(existing.timeout);

  runningCycles.set(machineId, {
    machineId,
    startedBy: req.user!.id,
    endsAt,
    timeout: setTimeout(() => runningCycles.delete(machineId), minutes * 60_000),
  });
  res.status(204).end();
});

router.get('/stores/:storeId/dashboard', async (req: Request, res: Response, next: NextFunction) => {
  const { storeId } = req.params;
  if (req.user!.storeId !== storeId) return res.status(403).json({ error: 'not your store' });

  try {
    const cacheKey = `dash:${req.user!.id}:${storeId}`;
    let utilisation = dashboardCache.get<Record<string, unknown>[]>(cacheKey);
    if (!utilisation) {
      const { rows } = await pool.query(
        `SELECT m.id, m.label, m.kind,
                count(s.id)                         AS cycles_today,
                coalesce(sum(s.price_cents), 0)     AS takings_cents,
                round(100.0 * coalesce(sum(s.minutes), 0) / (24 * 60), 1) AS busy_pct
           FROM machines m
           LEFT JOIN machine_sessions s
             ON s.machine_id = m.id AND s.started_at >= date_trunc('day', now())
          WHERE m.store_id = $1
          GROUP BY m.id
          ORDER BY m.label
          LIMIT 200`,
        [storeId],
      );
      utilisation = rows;
      dashboardCache.set(cacheKey, utilisation);
    }

    const now = Date.now();
    res.json({
      storeId,
      machines: utilisation.map((m) => {
        const cycle = runningCycles.get(String(m.id));
        return {
          ...m,
          running: Boolean(cycle),
          minutesLeft: cycle ? Math.max(0, Math.ceil((cycle.endsAt - now) / 60_000)) : 0,
        };
      }),
    });
  } catch (err) {
    next(err);
  }
});

export default router;
