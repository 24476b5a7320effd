import { ConflictException, Controller, HttpCode, Injectable, Param, Post, Get, Query, Req, UseGuards } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Prisma } from '@prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { AuthGuard } from '../auth/auth.guard';

@Injectable()
export class EnrollmentService {
  constructor(
    private readonly prisma: PrismaService,
    @InjectQueue('certificates') private readonly certificates: Queue,
  ) {}

  /**
   * Take a seat in a cohort. The seat counter is bumped with a conditional UPDATE, so two
   * students racing for the last seat can't both get it; the unique (userId, cohortId)
   * index stops double enrollment.
   */
  async enroll(userId: string, cohortId: string) {
    return this.prisma.$transaction(async (tx) => {
      const taken = await tx.$executeRaw`
        UPDATE cohorts
           SET seats_taken = seats_taken + 1
         WHERE id = ${cohortId}
           AND seats_taken < capacity
           AND enrollment_closes_at > now()`;
      if (taken === 0) throw new ConflictException('Cohort is full or enrollment has closed');

      try {
        return await tx.enrollment.create({ data: { userId, cohortId, status: 'ACTIVE' } });
      } catch (e) {
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
          throw new ConflictException('Already enrolled in this cohort');
        }
        throw e;
      }
    });
  }

  async drop(userId: string, cohortId: string) {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.enrollment.updateMany({
        where: { userId, cohortId, status: 'ACTIVE' },
        data: { status: 'DROPPED', droppedAt: new Date() },
      });
      if (count === 0) return false;
      await tx.cohort.update({ where: { id: cohortId }, data: { seatsTaken: { decrement: 1 } } });
      return true;
    });
  }

  /** Certificates are rendered by a worker (PDF + upload takes ~20s), we just enqueue. */
  async requestCertificate(userId: string, cohortId: string) {
    const job = await this.certificates.add(
      'render',
      { userId, cohortId },
      { jobId: `cert:${cohortId}:${userId}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
    );
    return { jobId: job.id, status: 'queued' };
  }

  roster(cohortId: string, page: number) {
    return this.prisma.enrollment.findMany({
      where: { cohortId, status: 'ACTIVE' },
      include: { user: { select: { id: true, name: true, email: true } } },
      orderBy: { createdAt: 'asc' },
      take: 50,
      skip: (page - 1) * 50,
    });
  }
}

@Controller('cohorts/:cohortId')
@UseGuards(AuthGuard)
export class EnrollmentController {
  constructor(private readonly enrollments: EnrollmentService) {}

  @Post('enroll')
  enroll(@Req() req, @Param('cohortId') cohortId: string) {
    return this.enrollments.enroll(req.user.id, cohortId);
  }

  @Post('certificate')
  @HttpCode(202)
  certificate(@Req() req, @Param('cohortId') cohortId: string) {
    return this.enrollments.requestCertificate(req.user.id, cohortId);
  }

  @Get('roster')
  roster(@Param('cohortId') cohortId: string, @Query('page') page = '1') {
    return this.enrollments.roster(cohortId, Math.max(1, parseInt(page, 10) || 1));
  }
}
