// app/api/clinics/[clinicId]/refills/route.ts
// Veterinary pharmacy: list and request prescription refills for a clinic's patients.
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { getStaffSession } from '@/lib/auth';
import { logger } from '@/lib/logger';

const DISTRIBUTOR_URL = process.env.VET_DISTRIBUTOR_URL!;

const RefillBody = z.object({
  prescriptionId: z.string().uuid(),
  quantity: z.number().int().positive().max(180),
  notes: z.string().max(500).optional(),
});

type Ctx = { params: { clinicId: string } };

export async function GET(req: NextRequest, { params }: Ctx) {
  const session = await getStaffSession();
  if (!session || session.clinicId !== params.clinicId) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const cursor = req.nextUrl.searchParams.get('cursor');
  const refills = await prisma.refillOrder.findMany({
    where: { clinicId: params.clinicId },
    include: { prescription: { select: { drugName: true, strength: true, patient: { select: { name: true, species: true } } } } },
    orderBy: { createdAt: 'desc' },
    take: 50,
    ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
  });

  return NextResponse.json({
    refills,
    nextCursor: refills.length === 50 ? refills[refills.length - 1].id : null,
  });
}

export async function POST(req: NextRequest, { params }: Ctx) {
  const session = await getStaffSession();
  if (!session || session.clinicId !== params.clinicId) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const parsed = RefillBody.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { prescriptionId, quantity, notes } = parsed.data;

  const order = await prisma.$transaction(async (tx) => {
    // decrement only if a refill is left; count tells us whether we won
    const { count } = await tx.prescription.updateMany({
      where: { id: prescriptionId, clinicId: params.clinicId, refillsRemaining: { gt: 0 } },
      data: { refillsRemaining: { decrement: 1 } },
    });
    if (count === 0) return null;

    return tx.refillOrder.create({
      data: { clinicId: params.clinicId, prescriptionId, quantity, notes, requestedById: session.userId },
    });
  });

  if (!order) {
    return NextResponse.json({ error: 'No refills remaining on this prescription' }, { status: 409 });
  }

  try {
    const res = await fetch(`${DISTRIBUTOR_URL}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': order.id },
      body: JSON.stringify({ reference: order.id, prescriptionId, quantity }),
      signal: AbortSignal.timeout(8000),
    });
    if (!res.ok) throw new Error(`distributor responded ${res.status}`);
    await prisma.refillOrder.update({ where: { id: order.id }, data: { status: 'SUBMITTED' } });
  } catch (err) {
    // order stays PENDING; the resubmit job picks it up
    logger.error({ err, refillOrderId: order.id }, 'distributor submission failed');
  }

  return NextResponse.json(order, { status: 201 });
}
