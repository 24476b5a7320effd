// src/payslips/payslips.routes.ts
// Employee self-service: "My payslips". Runs on 3 pods; sessions live in Redis
// (see app.ts: connect-redis store), nothing here depends on pod-local state
// except a short-lived read cache.
import { Router, Request, Response, NextFunction } from 'express';
import NodeCache from 'node-cache';
import { pool } from '../db';
import { requireSession } from '../middleware/session';
import { logger } from '../logger';

const router = Router();

// Payslips are private to each employee, so the cache key includes the user id.
// Bounded (maxKeys) and short-lived; a miss just hits Postgres.
const payslipCache = new NodeCache({ stdTTL: 120, checkperiod: 60, maxKeys: 20_000, useClones: false });

type PayslipSummary = {
  id: string;
  periodStart: string;
  periodEnd: string;
  grossCents: number;
  netCents: number;
  currencyCode: string;
};

router.use(requireSession);

router.get('/me/payslips', async (req: Request, res: Response, next: NextFunction) => {
  const { orgId, employeeId } = req.session.user!;
  const year = Number(req.query.year) || new Date().getFullYear();
  const key = `payslips:${orgId}:${employeeId}:${year}`;

  try {
    const cached = payslipCache.get<PayslipSummary[]>(key);
    if (cached) return res.json(cached);

    const { rows } = await pool.query<PayslipSummary>(
      `SELECT id, period_start AS "periodStart", period_end AS "periodEnd",
              gross_cents AS "grossCents", net_cents AS "netCents", currency_code AS "currencyCode"
         FROM payslips
        WHERE org_id = $1 AND employee_id = $2
          AND period_start >= make_date($3, 1, 1) AND period_start < make_date($3 + 1, 1, 1)
        ORDER BY period_start DESC
        LIMIT 53`,
      [orgId, employeeId, year],
    );
    try {
      payslipCache.set(key, rows);
    } catch (err) {
      // ECACHEFULL: cache at maxKeys, serve uncached
      logger.warn({ err }, 'payslip cache full');
    }
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

router.get('/me/payslips/:payslipId', async (req: Request, res: Response, next: NextFunction) => {
  const { orgId, employeeId } = req.session.user!;
  try {
    const { rows } = await pool.query(
      `SELECT p.*, json_agg(l ORDER BY l.sort_order) AS lines
         FROM payslips p
         JOIN payslip_lines l ON l.payslip_id = p.id AND l.org_id = p.org_id
        WHERE p.id = $1 AND p.org_id = $2 AND p.employee_id = $3
        GROUP BY p.id`,
      [req.params.payslipId, orgId, employeeId],
    );
    if (!rows.length) return res.status(404).json({ error: 'Payslip not found' });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// ISO 4217 reference data, shared by all organisations (table has no org_id)
router.get('/currencies/:code', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { rows } = await pool.query(
      'SELECT code, name, minor_units, symbol FROM currencies WHERE code = $1',
      [req.params.code.toUpperCase()],
    );
    if (!rows.length) return res.status(404).json({ error: 'Unknown currency' });
    res.set('Cache-Control', 'public, max-age=86400');
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

export default router;
