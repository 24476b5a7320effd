// app/api/rallies/[rallyId]/programme/route.ts
import { NextRequest, NextResponse } from 'next/server';
import { getServerSession } from 'next-auth';
import { authOptions } from '@/lib/auth';
import { prisma } from '@/lib/prisma';
import { renderProgrammeBook } from '@/lib/programme/render';
import { putObject } from '@/lib/storage';

export const runtime = 'nodejs';

type Params = { params: { rallyId: string } };

type HallOfFameRow = {
  make: string;
  model: string;
  vehicle_class: string;
  rallies_attended: bigint;
  total_points: number;
  avg_concours: number | null;
  class_rank: bigint;
};

// POST: the organiser clicks "Publish programme" once entries close. Builds
// the printable programme (one page per bus with photo, history and class)
// and stores it for the rally page.
export async function POST(_req: NextRequest, { params }: Params) {
  const session = await getServerSession(authOptions);
  if (!session?.user?.organiserOf?.includes(params.rallyId)) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const rally = await prisma.rally.findUnique({ where: { id: params.rallyId } });
  if (!rally) {
    return NextResponse.json({ error: 'rally not found' }, { status: 404 });
  }

  const entries = await prisma.rallyEntry.findMany({
    where: { rallyId: rally.id, status: 'ACCEPTED' },
    include: {
      owner: { select: { name: true, club: true } },
      vehicle: { include: { photos: { where: { isPrimary: true }, take: 1 } } },
    },
    orderBy: [{ vehicleClass: 'asc' }, { entryNumber: 'asc' }],
  });

  // Typesetting downloads each photo at print resolution, resizes it and lays
  // out a page per entry; the spring rally has 350+ buses.
  const pdf = await renderProgrammeBook(rally, entries, { dpi: 300, bleedMm: 3 });

  const key = `programmes/${rally.id}/${Date.now()}.pdf`;
  await putObject(key, pdf, 'application/pdf');
  await prisma.rally.update({
    where: { id: rally.id },
    data: { programmeKey: key, programmePublishedAt: new Date() },
  });

  return NextResponse.json({ key, pages: entries.length + 4 }, { status: 201 });
}

// GET: the all-time "hall of fame" panel shown on every rally page.
export async function GET() {
  const rows = await prisma.$queryRaw<HallOfFameRow[]>`
    SELECT v.make, v.model, v.vehicle_class,
           count(DISTINCT e.rally_id) AS rallies_attended,
           sum(j.points) AS total_points,
           avg(j.points) FILTER (WHERE j.category = 'concours') AS avg_concours,
           rank() OVER (PARTITION BY v.vehicle_class ORDER BY sum(j.points) DESC) AS class_rank
      FROM rally_entries e
      JOIN vehicles v ON v.id = e.vehicle_id
      JOIN judging_scores j ON j.entry_id = e.id
     WHERE e.status = 'ACCEPTED'
     GROUP BY v.id, v.make, v.model, v.vehicle_class
     ORDER BY class_rank, total_points DESC
     LIMIT 50`;

  return NextResponse.json(
    rows.map((r) => ({
      ...r,
      rallies_attended: Number(r.rallies_attended),
      class_rank: Number(r.class_rank),
    })),
  );
}
