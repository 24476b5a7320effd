// src/routes/causewayPermits.ts
// Tide-dependent causeway crossing permits. Each safe crossing window (between tides)
// has a fixed number of vehicle permits set by the harbour master.
import { Router, type Request, type Response, type NextFunction } from 'express';
import { Prisma } from '@prisma/client';
import { prisma } from '../lib/prisma';
import { requireResident } from '../middleware/auth';
import { logger } from '../lib/logger';

export const permitsRouter = Router();

class WindowFullError extends Error {}

const permitSelect = {
  id: true,
  vehicleReg: true,
  status: true,
  window: { select: { opensAt: true, closesAt: true } },
} satisfies Prisma.CrossingPermitSelect;

/**
 * POST /windows/:windowId/permits
 * Header Idempotency-Key (uuid from the app); body { vehicleReg }.
 * crossing_permits has UNIQUE (idempotency_key) and UNIQUE (window_id, vehicle_reg).
 */
permitsRouter.post('/windows/:windowId/permits', requireResident, async (req: Request, res: Response, next: NextFunction) => {
  const windowId = req.params.windowId;
  const idempotencyKey = req.get('Idempotency-Key');
  const vehicleReg = String(req.body.vehicleReg ?? '').replace(/\s+/g, '').toUpperCase();
  if (!idempotencyKey || !/^[A-Z0-9]{2,8}$/.test(vehicleReg)) {
    return res.status(400).json({ error: 'Idempotency-Key header and a valid registration are required' });
  }

  try {
    const permit = await prisma.$transaction(async (tx) => {
      const taken = await tx.crossingWindow.updateMany({
        where: { id: windowId, permitsLeft: { gt: 0 }, opensAt: { gt: new Date() } },
        data: { permitsLeft: { decrement: 1 } },
      });
      if (taken.count === 0) throw new WindowFullError();

      return tx.crossingPermit.create({
        data: { windowId, vehicleReg, residentId: req.user.id, idempotencyKey, status: 'ISSUED' },
        select: permitSelect,
      });
    });
    return res.status(201).json(permit);
  } catch (err) {
    if (err instanceof WindowFullError) {
      return res.status(409).json({ error: 'no permits left for this crossing window' });
    }
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      // The whole transaction rolled back, so the permit count is untouched.
      const existing = await prisma.crossingPermit.findFirst({
        where: { OR: [{ idempotencyKey }, { windowId, vehicleReg }], residentId: req.user.id },
        select: permitSelect,
      });
      if (existing) return res.status(200).json(existing);
      return res.status(409).json({ error: 'that vehicle already has a permit for this window' });
    }
    logger.error({ err, windowId }, 'permit issue failed');
    return next(err);
  }
});

/** GET /me/permits?cursor= — the resident's permits, newest window first, 20 at a time. */
permitsRouter.get('/me/permits', requireResident, async (req: Request, res: Response, next: NextFunction) => {
  const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
  try {
    const permits = await prisma.crossingPermit.findMany({
      where: { residentId: req.user.id },
      orderBy: [{ window: { opensAt: 'desc' } }, { id: 'desc' }],
      take: 21,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: permitSelect,
    });
    const hasMore = permits.length > 20;
    const page = hasMore ? permits.slice(0, 20) : permits;
    res.json({ permits: page, nextCursor: hasMore ? page[page.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});
