// src/routes/tills.ts
// Volunteer tills for the community-owned village shop. Volunteers open a shift
// on a till, ring up sales and cash up at the end. The API runs on Fly.io with
// 3 machines (fly scale count 3) so the shop and the post office counter stay
// up when one machine restarts.
import { Router, Request, Response, NextFunction } from 'express';
import { PrismaClient, Prisma } from '@prisma/client';
import { requireVolunteer } from '../middleware/auth';
import { logger } from '../logger';

const prisma = new PrismaClient();
export const tills = Router();

interface OpenShift {
  volunteerId: string;
  volunteerName: string;
  openedAt: Date;
  floatPence: number;
}

// tillId -> shift currently open on that till
const openShifts = new Map<string, OpenShift>();

tills.post('/tills/:tillId/shift', requireVolunteer, (req: Request, res: Response) => {
  const { tillId } = req.params;
  const current = openShifts.get(tillId);
  if (current) {
    return res.status(409).json({ error: `${current.volunteerName} is already on this till` });
  }
  const shift: OpenShift = {
    volunteerId: req.user!.id,
    volunteerName: req.user!.displayName,
    openedAt: new Date(),
    floatPence: Number(req.body.floatPence ?? 5000),
  };
  openShifts.set(tillId, shift);
  res.status(201).json({ tillId, shift });
});

tills.post('/tills/:tillId/sales', requireVolunteer, async (req: Request, res: Response, next: NextFunction) => {
  const { tillId } = req.params;
  const shift = openShifts.get(tillId);
  if (!shift || shift.volunteerId !== req.user!.id) {
    return res.status(403).json({ error: 'Open a shift on this till first' });
  }

  const lines: { productId: string; qty: number; unitPence: number }[] = req.body.lines ?? [];
  const totalPence = lines.reduce((sum, l) => sum + l.qty * l.unitPence, 0);
  const paidCash = req.body.method === 'cash';

  try {
    const till = await prisma.till.findFirstOrThrow({
      where: { id: tillId, shopId: req.user!.shopId },
      select: { id: true, cashTakingsPence: true, cardTakingsPence: true },
    });

    const sale = await prisma.sale.create({
      data: {
        tillId: till.id,
        shopId: req.user!.shopId,
        volunteerId: shift.volunteerId,
        totalPence,
        method: paidCash ? 'cash' : 'card',
        lines: { create: lines },
      },
    });

    await prisma.till.update({
      where: { id: till.id },
      data: paidCash
        ? { cashTakingsPence: till.cashTakingsPence + totalPence }
        : { cardTakingsPence: till.cardTakingsPence + totalPence },
    });

    res.status(201).json({ saleId: sale.id, totalPence });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025') {
      return res.status(404).json({ error: 'Till not found' });
    }
    logger.error({ err, tillId }, 'recording sale failed');
    next(err);
  }
});

tills.post('/tills/:tillId/cash-up', requireVolunteer, async (req: Request, res: Response, next: NextFunction) => {
  const { tillId } = req.params;
  const shift = openShifts.get(tillId);
  if (!shift) return res.status(404).json({ error: 'No open shift on this till' });

  try {
    const summary = await prisma.sale.aggregate({
      where: { tillId, shopId: req.user!.shopId, createdAt: { gte: shift.openedAt } },
      _sum: { totalPence: true },
      _count: true,
    });
    openShifts.delete(tillId);
    res.json({ tillId, openedAt: shift.openedAt, sales: summary._count, takenPence: summary._sum.totalPence ?? 0 });
  } catch (err) {
    next(err);
  }
});
