// app/api/deliveries/[id]/route.ts
// Drone delivery operators each see only their own deliveries (operatorId on every row).
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { getOperatorSession } from '@/lib/auth';

const FLEET_API = process.env.FLEET_API_URL!;
const fleetHeaders = { Authorization: `Bearer ${process.env.FLEET_API_TOKEN}`, 'Content-Type': 'application/json' };

type Ctx = { params: Promise<{ id: string }> };

export async function GET(_req: NextRequest, { params }: Ctx) {
  const session = await getOperatorSession();
  if (!session) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  const { id } = await params;

  const delivery = await prisma.delivery.findFirst({
    where: { id, operatorId: session.operatorId },
    include: { drone: { select: { callsign: true, model: true } }, waypoints: { orderBy: { seq: 'asc' } } },
  });
  if (!delivery) return NextResponse.json({ error: 'not found' }, { status: 404 });

  // live position from the fleet service; bail out quickly if it's slow
  let position = null;
  if (delivery.status === 'IN_FLIGHT') {
    const r = await fetch(`${FLEET_API}/missions/${delivery.missionId}/position`, {
      headers: fleetHeaders,
      signal: AbortSignal.timeout(1500),
      cache: 'no-store',
    }).catch(() => null);
    position = r?.ok ? await r.json() : null;
  }

  return NextResponse.json({ ...delivery, position });
}

const patchSchema = z.object({
  action: z.enum(['cancel', 'reschedule']),
  windowStart: z.string().datetime().optional(),
});

export async function PATCH(req: NextRequest, { params }: Ctx) {
  const session = await getOperatorSession();
  if (!session) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  const { id } = await params;

  const body = patchSchema.safeParse(await req.json());
  if (!body.success) return NextResponse.json({ error: body.error.flatten() }, { status: 400 });

  const delivery = await prisma.delivery.findUnique({ where: { id } });
  if (!delivery) return NextResponse.json({ error: 'not found' }, { status: 404 });

  if (body.data.action === 'cancel') {
    if (delivery.status === 'IN_FLIGHT') {
      const abort = await fetch(`${FLEET_API}/missions/${delivery.missionId}/return-to-base`, {
        method: 'POST',
        headers: fleetHeaders,
        signal: AbortSignal.timeout(5000),
      });
      if (!abort.ok) return NextResponse.json({ error: 'fleet refused RTB' }, { status: 502 });
    }
    const updated = await prisma.delivery.update({
      where: { id: delivery.id },
      data: { status: 'CANCELLED', cancelledAt: new Date() },
    });
    return NextResponse.json(updated);
  }

  if (!body.data.windowStart) return NextResponse.json({ error: 'windowStart required' }, { status: 400 });
  const updated = await prisma.delivery.updateMany({
    where: { id, operatorId: session.operatorId, status: 'SCHEDULED' },
    data: { windowStart: new Date(body.data.windowStart) },
  });
  if (updated.count === 0) return NextResponse.json({ error: 'cannot reschedule' }, { status: 409 });
  return NextResponse.json({ id, rescheduled: true });
}
