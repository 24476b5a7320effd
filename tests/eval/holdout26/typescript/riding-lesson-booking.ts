import { Prisma, PrismaClient } from '@prisma/client';

// Riding stable lesson slots. A group lesson has a fixed number of ponies;
// riders book a place, and each rider can hold at most one place per lesson
// (@@unique([lessonId, riderId]) on LessonBooking).

export class LessonFullError extends Error {}
export class AlreadyBookedError extends Error {}

export async function bookLessonPlace(
  prisma: PrismaClient,
  stableId: string,
  lessonId: string,
  riderId: string,
) {
  try {
    return await prisma.$transaction(
      async (tx) => {
        // Claim a pony atomically: the row is only updated while places remain,
        // so two riders racing for the last place cannot both succeed.
        const claimed = await tx.lesson.updateMany({
          where: { id: lessonId, stableId, cancelled: false, placesLeft: { gt: 0 } },
          data: { placesLeft: { decrement: 1 } },
        });
        if (claimed.count !== 1) {
          throw new LessonFullError('no places left on this lesson');
        }

        return tx.lessonBooking.create({
          data: { lessonId, riderId, stableId },
          select: { id: true, lessonId: true, createdAt: true },
        });
      },
      { timeout: 5000, maxWait: 2000 },
    );
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      // The create failed on the unique index, which rolled back the decrement too.
      throw new AlreadyBookedError('rider already has a place on this lesson');
    }
    throw err;
  }
}

export async function cancelLessonPlace(
  prisma: PrismaClient,
  stableId: string,
  bookingId: string,
  riderId: string,
) {
  return prisma.$transaction(async (tx) => {
    const booking = await tx.lessonBooking.findFirst({
      where: { id: bookingId, riderId, stableId },
      select: { lessonId: true },
    });
    if (!booking) return false;

    // Only the request whose delete actually removed the row gives the place back.
    const removed = await tx.lessonBooking.deleteMany({
      where: { id: bookingId, riderId, stableId },
    });
    if (removed.count !== 1) return false;

    await tx.lesson.update({
      where: { id: booking.lessonId },
      data: { placesLeft: { increment: 1 } },
    });
    return true;
  });
}

export async function upcomingLessons(prisma: PrismaClient, stableId: string, from: Date, take = 30) {
  return prisma.lesson.findMany({
    where: { stableId, cancelled: false, startsAt: { gte: from } },
    orderBy: { startsAt: 'asc' },
    take: Math.min(take, 100),
    select: {
      id: true,
      title: true,
      startsAt: true,
      placesLeft: true,
      instructor: { select: { name: true } },
    },
  });
}
