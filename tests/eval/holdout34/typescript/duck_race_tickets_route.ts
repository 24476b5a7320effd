// app/api/duck-races/[raceId]/tickets/route.ts
// Duck race ticket sales for the summer river festival. Each ticket is a
// numbered rubber duck; numbers run 1..maxDucks and are printed on the ducks.

import { NextRequest, NextResponse } from "next/server";
import { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth";

const PurchaseSchema = z.object({
  quantity: z.number().int().min(1).max(20),
  buyerName: z.string().min(1).max(100),
  buyerEmail: z.string().email(),
  paymentIntentId: z.string().min(8),
});

type Params = { params: { raceId: string } };

export async function POST(req: NextRequest, { params }: Params) {
  const session = await getServerSession(authOptions);
  if (!session?.user) {
    return NextResponse.json({ error: "Sign in to buy ducks" }, { status: 401 });
  }

  const parsed = PurchaseSchema.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { quantity, buyerName, buyerEmail, paymentIntentId } = parsed.data;

  const prisma = new PrismaClient();
  try {
    const race = await prisma.duckRace.findUnique({ where: { id: params.raceId } });
    if (!race || race.salesClosedAt) {
      return NextResponse.json({ error: "Sales for this race are closed" }, { status: 404 });
    }
    if (race.ducksSold + quantity > race.maxDucks) {
      return NextResponse.json(
        { error: `Only ${race.maxDucks - race.ducksSold} ducks left` },
        { status: 409 }
      );
    }

    const firstNumber = race.ducksSold + 1;
    const duckNumbers = Array.from({ length: quantity }, (_, i) => firstNumber + i);

    await prisma.$transaction([
      prisma.duckRace.update({
        where: { id: race.id },
        data: { ducksSold: race.ducksSold + quantity },
      }),
      prisma.duckTicket.createMany({
        data: duckNumbers.map((duckNumber) => ({
          raceId: race.id,
          duckNumber,
          buyerName,
          buyerEmail,
          paymentIntentId,
          soldById: session.user.id,
        })),
      }),
    ]);

    return NextResponse.json({ raceId: race.id, duckNumbers }, { status: 201 });
  } finally {
    await prisma.$disconnect();
  }
}
