// app/api/festivals/[festivalId]/pitch-bookings/route.ts
// Camping pitch bookings for the folk festival organisers' console.
// Several festivals share the platform; every organiser belongs to exactly one festival.
import { NextRequest, NextResponse } from "next/server";
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { prisma } from "@/lib/prisma";
import { getOrganiserSession } from "@/lib/auth";

type Params = { params: { festivalId: string } };

const CreateBooking = z.object({
  pitchId: z.string().uuid(),
  camperName: z.string().min(1).max(120),
  vehicleReg: z.string().max(10).optional(),
  nights: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).min(1).max(5),
});

async function authorise(festivalId: string) {
  const session = await getOrganiserSession();
  if (!session || session.festivalId !== festivalId) return null;
  return session;
}

// Booking list for the gate team's printout and the pitch map.
export async function GET(_req: NextRequest, { params }: Params) {
  const session = await authorise(params.festivalId);
  if (!session) return NextResponse.json({ error: "Forbidden" }, { status: 403 });

  const bookings = await prisma.pitchBooking.findMany({
    where: { festivalId: params.festivalId },
    include: { pitch: { select: { code: true, field: true, hookup: true } } },
    orderBy: [{ night: "asc" }, { createdAt: "asc" }],
  });

  return NextResponse.json({
    bookings: bookings.map((b) => ({
      id: b.id,
      night: b.night,
      camper: b.camperName,
      vehicleReg: b.vehicleReg,
      pitch: b.pitch.code,
      field: b.pitch.field,
      hookup: b.pitch.hookup,
    })),
  });
}

export async function POST(req: NextRequest, { params }: Params) {
  const session = await authorise(params.festivalId);
  if (!session) return NextResponse.json({ error: "Forbidden" }, { status: 403 });

  const parsed = CreateBooking.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { pitchId, camperName, vehicleReg, nights } = parsed.data;

  const pitch = await prisma.pitch.findUnique({ where: { id: pitchId } });
  if (!pitch || !pitch.bookable) {
    return NextResponse.json({ error: "Pitch not available" }, { status: 404 });
  }

  try {
    // @@unique([pitchId, night]) means a pitch can only be sold once per night.
    const created = await prisma.$transaction(
      nights.map((night) =>
        prisma.pitchBooking.create({
          data: {
            festivalId: params.festivalId,
            pitchId: pitch.id,
            night: new Date(night),
            camperName,
            vehicleReg,
            createdBy: session.organiserId,
          },
        })
      )
    );
    return NextResponse.json({ ids: created.map((c) => c.id) }, { status: 201 });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return NextResponse.json({ error: "Pitch already taken for one of those nights" }, { status: 409 });
    }
    throw err;
  }
}
