// src/courses/coursePlaces.service.ts
// Timber framing course places (green oak, 5-day courses, 8 places each).
// A place is held for 20 minutes while the deposit is paid; expired holds are
// swept by the cron job at the bottom.
import { Injectable, Logger, ConflictException } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Prisma, PrismaClient } from '@prisma/client';

const HOLD_MINUTES = 20;

@Injectable()
export class CoursePlacesService {
  private readonly logger = new Logger(CoursePlacesService.name);

  constructor(private readonly prisma: PrismaClient) {}

  /** Hold a place: atomic decrement guarded by placesLeft > 0, plus a unique (courseId, studentId). */
  async holdPlace(courseId: number, studentId: number) {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const { count } = await tx.course.updateMany({
          where: { id: courseId, placesLeft: { gt: 0 } },
          data: { placesLeft: { decrement: 1 } },
        });
        if (count === 0) {
          throw new ConflictException('This course is full');
        }
        return tx.placeHold.create({
          data: {
            courseId,
            studentId,
            expiresAt: new Date(Date.now() + HOLD_MINUTES * 60_000),
          },
          select: { id: true, expiresAt: true },
        });
      });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new ConflictException('You already hold a place on this course');
      }
      throw err;
    }
  }

  /** Convert a hold into a confirmed place once the deposit clears. */
  async confirmHold(holdId: string, paymentRef: string) {
    return this.prisma.$transaction(async (tx) => {
      const hold = await tx.placeHold.delete({ where: { id: holdId } });
      return tx.enrolment.create({
        data: { courseId: hold.courseId, studentId: hold.studentId, paymentRef },
      });
    });
  }

  /** Upcoming courses with places, a page at a time. */
  listOpenCourses(cursor?: number, take = 20) {
    return this.prisma.course.findMany({
      where: { startsOn: { gte: new Date() }, placesLeft: { gt: 0 } },
      orderBy: { id: 'asc' },
      take: Math.min(take, 50),
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      select: { id: true, title: true, startsOn: true, placesLeft: true, tutor: { select: { name: true } } },
    });
  }

  /** Every minute: release expired holds and give their places back. */
  @Cron(CronExpression.EVERY_MINUTE)
  async releaseExpiredHolds() {
    try {
      const released = await this.prisma.$executeRaw`
        WITH expired AS (
          DELETE FROM place_holds
           WHERE expires_at < now()
          RETURNING course_id
        ), per_course AS (
          SELECT course_id, count(*)::int AS n FROM expired GROUP BY course_id
        )
        UPDATE courses c
           SET places_left = c.places_left + per_course.n
          FROM per_course
         WHERE c.id = per_course.course_id`;
      if (released > 0) {
        this.logger.log(`released holds on ${released} course(s)`);
      }
    } catch (err) {
      this.logger.error('releasing expired holds failed', err as Error);
      throw err;
    }
  }
}
