// app/api/projects/[id]/route.ts
// Install projects for a solar installer company. Each project belongs to an org (orgId).
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { getSession } from '@/lib/auth';

type Ctx = { params: { id: string } };

const patchSchema = z.object({
  status: z.enum(['survey', 'design', 'permitting', 'install', 'inspection', 'pto']).optional(),
  systemKw: z.number().positive().max(100).optional(),
  crewId: z.string().uuid().nullable().optional(),
});

// Estimated annual production from NREL PVWatts for the project site.
async function estimateAnnualKwh(lat: number, lng: number, systemKw: number, tilt: number) {
  const qs = new URLSearchParams({
    api_key: process.env.NREL_API_KEY!,
    lat: String(lat),
    lon: String(lng),
    system_capacity: String(systemKw),
    azimuth: '180',
    tilt: String(tilt),
    array_type: '1',
    module_type: '0',
    losses: '14',
  });
  const res = await fetch(`https://developer.nrel.gov/api/pvwatts/v8.json?${qs}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`PVWatts returned ${res.status}`);
  const data = await res.json();
  return Math.round(data.outputs.ac_annual as number);
}

export async function GET(_req: NextRequest, { params }: Ctx) {
  const session = await getSession();
  if (!session) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });

  const project = await prisma.installProject.findUnique({
    where: { id: params.id },
    include: { site: true, panels: true, crew: { select: { id: true, name: true } } },
  });
  if (!project) return NextResponse.json({ error: 'not found' }, { status: 404 });

  const annualKwh = await estimateAnnualKwh(project.site.lat, project.site.lng, project.systemKw, project.site.roofPitch);
  return NextResponse.json({ ...project, annualKwh });
}

export async function PATCH(req: NextRequest, { params }: Ctx) {
  const session = await getSession();
  if (!session) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });

  const parsed = patchSchema.safeParse(await req.json());
  if (!parsed.success) return NextResponse.json(parsed.error.flatten(), { status: 400 });

  const existing = await prisma.installProject.findFirst({
    where: { id: params.id, orgId: session.orgId },
    select: { id: true },
  });
  if (!existing) return NextResponse.json({ error: 'not found' }, { status: 404 });

  const updated = await prisma.installProject.update({
    where: { id: existing.id },
    data: parsed.data,
  });
  return NextResponse.json(updated);
}

export async function DELETE(_req: NextRequest, { params }: Ctx) {
  const session = await getSession();
  if (!session || session.role !== 'admin') {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }
  const { count } = await prisma.installProject.deleteMany({
    where: { id: params.id, orgId: session.orgId, status: 'survey' },
  });
  if (count === 0) return NextResponse.json({ error: 'not found or already in progress' }, { status: 404 });
  return new NextResponse(null, { status: 204 });
}
