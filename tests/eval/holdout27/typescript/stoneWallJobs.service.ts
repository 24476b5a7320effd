// stone-walls/wall-jobs.service.ts
// Dry-stone wall repair jobs. Each walling company (tenant) sees and claims only
// its own jobs; crews claim open jobs from the tablet app in the field.

import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Prisma, WallJobStatus } from '@prisma/client';
import { PrismaService } from '../prisma/prisma.service';

const MAX_PAGE = 50;

export interface ListJobsQuery {
  cursor?: string;
  take?: number;
  parish?: string;
}

@Injectable()
export class WallJobsService {
  private readonly logger = new Logger(WallJobsService.name);

  constructor(private readonly prisma: PrismaService) {}

  async listOpenJobs(companyId: string, q: ListJobsQuery) {
    const take = Math.min(q.take ?? 20, MAX_PAGE);
    const jobs = await this.prisma.wallJob.findMany({
      where: { companyId, status: WallJobStatus.OPEN, ...(q.parish ? { parish: q.parish } : {}) },
      orderBy: { id: 'asc' },
      take: take + 1,
      ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
      select: { id: true, parish: true, gridRef: true, lengthMetres: true, stoneType: true, createdAt: true },
    });
    const hasMore = jobs.length > take;
    const page = hasMore ? jobs.slice(0, take) : jobs;
    return { jobs: page, nextCursor: hasMore ? page[page.length - 1].id : null };
  }

  async getJob(companyId: string, jobId: string) {
    const job = await this.prisma.wallJob.findFirst({ where: { id: jobId, companyId } });
    if (!job) throw new NotFoundException('Job not found');
    return job;
  }

  /**
   * A crew claims an open job. The status condition is part of the UPDATE, so
   * when two crews tap "claim" together only one update matches.
   */
  async claimJob(companyId: string, jobId: string, crewId: string) {
    const { count } = await this.prisma.wallJob.updateMany({
      where: { id: jobId, companyId, status: WallJobStatus.OPEN },
      data: { status: WallJobStatus.CLAIMED, crewId, claimedAt: new Date() },
    });
    if (count === 0) {
      throw new ConflictException('Job has already been claimed or does not exist');
    }
    return this.getJob(companyId, jobId);
  }

  /** Crews log metres rebuilt at the end of each day. */
  async logProgress(companyId: string, jobId: string, crewId: string, metres: number) {
    const { count } = await this.prisma.wallJob.updateMany({
      where: { id: jobId, companyId, crewId, status: WallJobStatus.CLAIMED },
      data: { metresRebuilt: { increment: metres }, updatedAt: new Date() },
    });
    if (count === 0) throw new NotFoundException('No claimed job for this crew');
  }

  async recordPhoto(companyId: string, jobId: string, storageKey: string) {
    try {
      // connect through the (id, companyId) compound unique so another company's job can't be referenced
      return await this.prisma.wallJobPhoto.create({
        data: { storageKey, job: { connect: { id_companyId: { id: jobId, companyId } } } },
      });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025') {
        throw new NotFoundException('Job not found');
      }
      this.logger.error(`recordPhoto failed for job ${jobId}`, err instanceof Error ? err.stack : String(err));
      throw err;
    }
  }
}
