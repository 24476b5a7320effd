// app/api/trials/[trialId]/enrol/route.ts
// Enrolment endpoint used by site coordinators. Every sponsor organisation is a tenant;
// trials, arms, participants and enrolments all carry orgId.
import { NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { prisma } from "@/lib/prisma";
import { getCoordinator } from "@/lib/auth";

const EnrolBody = z.object({
  participantId: z.string().uuid(),
  armId: z.string().uuid(),
  consentSignedAt: z.coerce.date(),
});

export async function GET(req: NextRequest, { params }: { params: { trialId: string } }) {
  const coordinator = await getCoordinator(req);
  if (!coordinator) return NextResponse.json({ error: "unauthorized" }, { status: 401 });

  // enrolment activity feed for the coordinator dashboard (enrolments, visits, AEs, withdrawals)
  const events = await prisma.enrolmentEvent.findMany({
    where: { trialId: params.trialId, orgId: coordinator.orgId },
    include: { participant: { select: { id: true, screeningNumber: true, siteId: true } } },
    orderBy: { occurredAt: "desc" },
  });
  return NextResponse.json({ events });
}

export async function POST(req: NextRequest, { params }: { params: { trialId: string } }) {
  const coordinator = await getCoordinator(req);
  if (!coordinator) return NextResponse.json({ error: "unauthorized" }, { status: 401 });

  const parsed = EnrolBody.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { participantId, armId, consentSignedAt } = parsed.data;

  const trial = await prisma.trial.findFirst({
    where: { id: params.trialId, orgId: coordinator.orgId, status: "RECRUITING" },
    include: { arms: { where: { id: armId } } },
  });
  if (!trial || trial.arms.length === 0) {
    return NextResponse.json({ error: "trial or arm not found" }, { status: 404 });
  }
  const arm = trial.arms[0];

  const participant = await prisma.participant.findUnique({ where: { id: participantId } });
  if (!participant || participant.screeningStatus !== "ELIGIBLE") {
    return NextResponse.json({ error: "participant not eligible" }, { status: 422 });
  }

  // arms are capped by the protocol (e.g. 40 per arm)
  const enrolled = await prisma.enrolment.count({ where: { armId: arm.id, orgId: coordinator.orgId } });
  if (enrolled >= arm.capacity) {
    return NextResponse.json({ error: "arm is full" }, { status: 409 });
  }

  const enrolment = await prisma.enrolment.create({
    data: {
      orgId: coordinator.orgId,
      trialId: trial.id,
      armId: arm.id,
      participantId: participant.id,
      siteId: participant.siteId,
      consentSignedAt,
      enrolledBy: coordinator.id,
    },
  });

  return NextResponse.json({ enrolment }, { status: 201 });
}
