'use server';

// app/(hr)/employees/[id]/actions.ts — server actions for the HR admin screens.
import { revalidatePath } from 'next/cache';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';
import { requireHrAdmin, requireEmployee } from '@/lib/auth';

type ActionResult = { ok: true } | { ok: false; error: string };

/** HR admin grants or removes leave days. Balance is changed atomically in the DB. */
export async function adjustLeaveBalance(employeeId: string, days: number, reason: string): Promise<ActionResult> {
  const admin = await requireHrAdmin();

  await prisma.$transaction(async (tx) => {
    const { count } = await tx.employee.updateMany({
      where: { id: employeeId, companyId: admin.companyId },
      data: { leaveBalanceDays: { increment: days } },
    });
    if (count === 0) throw new Error(`employee ${employeeId} not found in company ${admin.companyId}`);

    await tx.leaveAdjustment.create({
      data: { employeeId, companyId: admin.companyId, days, reason, createdById: admin.id },
    });
  });

  revalidatePath(`/employees/${employeeId}`);
  return { ok: true };
}

/** Employee books leave; only succeeds if the balance covers it. */
export async function requestLeave(startDate: string, days: number): Promise<ActionResult> {
  const me = await requireEmployee();

  const { count } = await prisma.employee.updateMany({
    where: { id: me.employeeId, companyId: me.companyId, leaveBalanceDays: { gte: days } },
    data: { leaveBalanceDays: { decrement: days } },
  });
  if (count === 0) return { ok: false, error: 'Not enough leave balance' };

  await prisma.leaveRequest.create({
    data: { employeeId: me.employeeId, companyId: me.companyId, startDate: new Date(startDate), days, status: 'PENDING' },
  });
  revalidatePath('/me/leave');
  return { ok: true };
}

/** One signing bonus per employee, enforced by @@unique([employeeId, kind]) on Bonus. */
export async function grantSigningBonus(employeeId: string, amountCents: number): Promise<ActionResult> {
  const admin = await requireHrAdmin();
  const employee = await prisma.employee.findFirst({
    where: { id: employeeId, companyId: admin.companyId },
    select: { id: true },
  });
  if (!employee) return { ok: false, error: 'Employee not found' };

  try {
    await prisma.bonus.create({
      data: { employeeId, companyId: admin.companyId, kind: 'SIGNING', amountCents, approvedById: admin.id },
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      return { ok: false, error: 'A signing bonus was already granted to this employee' };
    }
    throw e;
  }
  revalidatePath(`/employees/${employeeId}`);
  return { ok: true };
}

/** Tax brackets are global reference data (per country + year), there is no companyId on them. */
export async function getTaxBracket(bracketId: string) {
  await requireHrAdmin();
  return prisma.taxBracket.findUnique({ where: { id: bracketId } });
}

export async function listPayRuns(cursor?: string) {
  const admin = await requireHrAdmin();
  return prisma.payRun.findMany({
    where: { companyId: admin.companyId },
    orderBy: { periodEnd: 'desc' },
    take: 24,
    ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
  });
}
