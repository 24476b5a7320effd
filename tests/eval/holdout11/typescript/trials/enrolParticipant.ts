/**
 * You're right that the count-then-create version can over-enrol an arm when two
 * coordinators submit at the same moment. Here's a fixed version:
 *
 *  - the capacity check and the seat decrement happen in ONE conditional UPDATE,
 *    so Postgres serialises concurrent enrolments on the arm row;
 *  - we check the affected row count instead of trusting an earlier read;
 *  - a unique index on (arm_id, participant_id) turns double-submits into a clean 409;
 *  - every query is scoped to the coordinator's orgId.
 */
import { Prisma, PrismaClient } from "@prisma/client";

export class ArmFullError extends Error {}
export class AlreadyEnrolledError extends Error {}
export class NotEligibleError extends Error {}

export async function enrolParticipant(
  prisma: PrismaClient,
  input: { orgId: string; trialId: string; armId: string; participantId: string; coordinatorId: string; consentSignedAt: Date },
) {
  const { orgId, trialId, armId, participantId, coordinatorId, consentSignedAt } = input;

  const participant = await prisma.participant.findFirst({
    where: { id: participantId, orgId, screeningStatus: "ELIGIBLE" },
    select: { id: true, siteId: true },
  });
  if (!participant) throw new NotEligibleError();

  try {
    return await prisma.$transaction(async (tx) => {
      const taken = await tx.$executeRaw`
        UPDATE trial_arms
           SET enrolled_count = enrolled_count + 1
         WHERE id = ${armId}
           AND trial_id = ${trialId}
           AND org_id = ${orgId}
           AND enrolled_count < capacity`;
      if (taken !== 1) throw new ArmFullError();

      return tx.enrolment.create({
        data: {
          orgId,
          trialId,
          armId,
          participantId: participant.id,
          siteId: participant.siteId,
          consentSignedAt,
          enrolledBy: coordinatorId,
        },
      });
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      // unique (arm_id, participant_id); the transaction rolled back the seat too
      throw new AlreadyEnrolledError();
    }
    throw err;
  }
}
