import { Prisma, PrismaClient } from '@prisma/client';

export class ConflictError extends Error {}
export class NotFoundError extends Error {}

// Shared-studio kilns: members book shelf space on a scheduled glaze or bisque
// firing. studioId and memberId always come from the authenticated session.
export class KilnShelfBookingService {
  constructor(private readonly prisma: PrismaClient) {}

  async listUpcomingFirings(studioId: string, cursor?: string, take = 20) {
    return this.prisma.kilnFiring.findMany({
      where: { studioId, scheduledFor: { gte: new Date() } },
      orderBy: [{ scheduledFor: 'asc' }, { id: 'asc' }],
      take: Math.min(Math.max(take, 1), 50),
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      select: {
        id: true,
        kind: true,
        coneTarget: true,
        scheduledFor: true,
        shelvesFree: true,
        kiln: { select: { name: true } },
      },
    });
  }

  async bookShelf(studioId: string, memberId: string, firingId: string, pieces: number) {
    try {
      return await this.prisma.$transaction(async (tx) => {
        // Conditional decrement: succeeds only while a shelf is still free.
        const claimed = await tx.kilnFiring.updateMany({
          where: { id: firingId, studioId, status: 'OPEN', shelvesFree: { gt: 0 } },
          data: { shelvesFree: { decrement: 1 } },
        });
        if (claimed.count === 0) {
          throw new ConflictError('no shelf space left on this firing');
        }
        return tx.shelfBooking.create({
          data: { studioId, firingId, memberId, pieces },
        });
      });
    } catch (err) {
      // @@unique([firingId, memberId]) on ShelfBooking: one shelf per member per firing.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new ConflictError('you already have a shelf on this firing');
      }
      throw err;
    }
  }

  async cancelBooking(studioId: string, memberId: string, bookingId: string) {
    return this.prisma.$transaction(async (tx) => {
      const booking = await tx.shelfBooking.findFirst({
        where: { id: bookingId, studioId, memberId },
        select: { firingId: true },
      });
      if (!booking) throw new NotFoundError('booking not found');

      // deleteMany + count so a double-submitted cancel frees the shelf only once.
      const removed = await tx.shelfBooking.deleteMany({
        where: { id: bookingId, studioId, memberId },
      });
      if (removed.count === 0) throw new NotFoundError('booking already cancelled');

      await tx.kilnFiring.updateMany({
        where: { id: booking.firingId, studioId, status: 'OPEN' },
        data: { shelvesFree: { increment: 1 } },
      });
      return { cancelled: true };
    });
  }
}
