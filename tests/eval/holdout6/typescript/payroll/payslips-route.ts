// app/api/payslips/[id]/route.ts
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { auth } from '@/lib/auth';
import { prisma } from '@/lib/prisma';

type Ctx = { params: { id: string } };

const patchSchema = z.object({
  grossCents: z.number().int().nonnegative().optional(),
  note: z.string().max(500).optional(),
});

export async function GET(_req: NextRequest, { params }: Ctx) {
  const session = await auth();
  if (!session?.user) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });

  const payslip = await prisma.payslip.findUnique({
    where: { id: params.id },
    include: { lines: true, employee: { select: { id: true, fullName: true } } },
  });
  if (!payslip) return NextResponse.json({ error: 'Not found' }, { status: 404 });

  // employees may only see their own payslips; HR admins see everything
  if (session.user.role === 'EMPLOYEE' && payslip.employeeId !== session.user.employeeId) {
    return NextResponse.json({ error: 'Forbidden' }, { status: 403 });
  }
  return NextResponse.json(payslip);
}

export async function PATCH(req: NextRequest, { params }: Ctx) {
  const session = await auth();
  if (session?.user?.role !== 'HR_ADMIN') return NextResponse.json({ error: 'Forbidden' }, { status: 403 });

  const body = patchSchema.safeParse(await req.json());
  if (!body.success) return NextResponse.json({ error: body.error.flatten() }, { status: 400 });

  // only drafts of the admin's own company can be edited
  const { count } = await prisma.payslip.updateMany({
    where: { id: params.id, companyId: session.user.companyId, status: 'DRAFT' },
    data: body.data,
  });
  if (count === 0) return NextResponse.json({ error: 'Not found or already finalized' }, { status: 409 });

  const updated = await prisma.payslip.findFirst({
    where: { id: params.id, companyId: session.user.companyId },
  });
  return NextResponse.json(updated);
}

export async function DELETE(_req: NextRequest, { params }: Ctx) {
  const session = await auth();
  if (session?.user?.role !== 'HR_ADMIN') return NextResponse.json({ error: 'Forbidden' }, { status: 403 });

  const { count } = await prisma.payslip.deleteMany({
    where: { id: params.id, companyId: session.user.companyId, status: 'DRAFT' },
  });
  if (count === 0) return NextResponse.json({ error: 'Not found or already finalized' }, { status: 409 });
  return new NextResponse(null, { status: 204 });
}
