import { NextRequest, NextResponse } from 'next/server';
import { auth } from '@/lib/auth';
import { prisma } from '@/lib/prisma';

export async function GET(req: NextRequest) {
  const session = await auth();
  if (!session) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });

  const status = req.nextUrl.searchParams.get('status') ?? undefined;
  const orders = await prisma.order.findMany({
    where: { organizationId: session.orgId, status },
    orderBy: { createdAt: 'desc' },
    include: { customer: true, lines: true },
  });
  return NextResponse.json(orders);
}

export async function POST(req: NextRequest) {
  const session = await auth();
  if (!session) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  const body = await req.json();
  const order = await prisma.order.create({
    data: {
      organizationId: session.orgId,
      customerId: body.customerId,
      lines: { create: body.lines },
    },
  });
  return NextResponse.json(order, { status: 201 });
}
