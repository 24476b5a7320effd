// app/api/webhooks/telematics/route.ts
// The van telematics provider posts "route.completed" when an ice-cream van
// finishes its round. We record the round and credit the franchisee's
// season totals, which drive the end-of-season commission.
// The provider retries on any non-2xx and sometimes delivers twice anyway.

import { NextResponse } from "next/server";
import { Prisma } from "@prisma/client";
import { createHmac, timingSafeEqual } from "node:crypto";
import { prisma } from "@/lib/prisma";

type RouteCompleted = {
  id: string; // provider event id, stable across redeliveries
  type: "route.completed";
  data: { vanId: string; routeId: string; stopsServed: number; conesSold: number; finishedAt: string };
};

function validSignature(raw: string, header: string | null): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", process.env.TELEMATICS_WEBHOOK_SECRET!).update(raw).digest("hex");
  const a = Buffer.from(expected);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function POST(req: Request) {
  const raw = await req.text();
  if (!validSignature(raw, req.headers.get("x-telematics-signature"))) {
    return NextResponse.json({ error: "bad signature" }, { status: 401 });
  }
  const event = JSON.parse(raw) as RouteCompleted;
  if (event.type !== "route.completed") {
    return NextResponse.json({ ignored: event.type });
  }

  try {
    await prisma.$transaction(async (tx) => {
      // Primary key on event id: a redelivery fails here and nothing below runs.
      await tx.processedWebhookEvent.create({
        data: { id: event.id, source: "telematics", receivedAt: new Date() },
      });

      const van = await tx.van.findUniqueOrThrow({
        where: { id: event.data.vanId },
        select: { franchiseeId: true },
      });

      await tx.completedRound.create({
        data: {
          vanId: event.data.vanId,
          routeId: event.data.routeId,
          stopsServed: event.data.stopsServed,
          conesSold: event.data.conesSold,
          finishedAt: new Date(event.data.finishedAt),
        },
      });

      await tx.franchiseeSeason.update({
        where: { franchiseeId_season: { franchiseeId: van.franchiseeId, season: seasonOf(event.data.finishedAt) } },
        data: {
          rounds: { increment: 1 },
          conesSold: { increment: event.data.conesSold },
        },
      });
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      // Already processed this event id: acknowledge so the provider stops retrying.
      return NextResponse.json({ duplicate: true });
    }
    console.error("telematics webhook failed", { eventId: event.id, err });
    throw err;
  }

  return NextResponse.json({ ok: true });
}

function seasonOf(iso: string): number {
  return new Date(iso).getUTCFullYear();
}
