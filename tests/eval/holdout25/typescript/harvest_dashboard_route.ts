// app/api/vineyards/[vineyardId]/dashboard/route.ts
// Harvest dashboard for the vineyard office: totals per block and picker plus the raw pick log.
// The office screen polls this every 30 seconds during vintage.
import { NextResponse } from 'next/server';
import { prisma } from '@/lib/prisma';
import { auth } from '@/lib/auth';

type BlockTotal = {
  block: string;
  varietal: string;
  bins: number;
  tonnes: number;
  avg_brix: number;
  pickers: number;
};

export async function GET(
  _req: Request,
  { params }: { params: { vineyardId: string } },
) {
  const session = await auth();
  if (!session || session.vineyardId !== params.vineyardId) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }
  const vineyardId = params.vineyardId;

  const blockTotals = await prisma.$queryRaw<BlockTotal[]>`
    SELECT b.name                                   AS block,
           b.varietal                               AS varietal,
           count(pl.id)::int                        AS bins,
           round(sum(pl.net_kg) / 1000.0, 2)::float AS tonnes,
           round(avg(s.brix), 1)::float             AS avg_brix,
           count(DISTINCT pl.picker_id)::int        AS pickers
      FROM pick_logs pl
      JOIN blocks b          ON b.id = pl.block_id
      LEFT JOIN must_samples s ON s.bin_id = pl.bin_id
     WHERE pl.vineyard_id = ${vineyardId}
     GROUP BY b.name, b.varietal
     ORDER BY tonnes DESC`;

  const pickerTotals = await prisma.pickLog.groupBy({
    by: ['pickerId'],
    where: { vineyardId },
    _sum: { netKg: true },
    _count: { _all: true },
    orderBy: { _sum: { netKg: 'desc' } },
    take: 25,
  });

  const pickLog = await prisma.pickLog.findMany({
    where: { vineyardId },
    orderBy: { weighedAt: 'desc' },
    include: { picker: { select: { displayName: true } }, block: { select: { name: true } } },
  });

  return NextResponse.json({
    generatedAt: new Date().toISOString(),
    blockTotals,
    pickerTotals: pickerTotals.map((p) => ({
      pickerId: p.pickerId,
      bins: p._count._all,
      kg: p._sum.netKg ?? 0,
    })),
    pickLog: pickLog.map((l) => ({
      id: l.id,
      picker: l.picker.displayName,
      block: l.block.name,
      netKg: l.netKg,
      weighedAt: l.weighedAt,
    })),
  });
}
