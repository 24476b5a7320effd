import {
  Controller, Get, Post, Param, Query, Body, UseGuards, HttpCode,
  NotFoundException, ParseIntPipe, DefaultValuePipe,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { PrismaService } from '../prisma/prisma.service';
import { ClinicGuard } from '../auth/clinic.guard';
import { CurrentClinic, ClinicContext } from '../auth/current-clinic.decorator';

const MAX_PAGE = 100;

/** Dental recall list: patients due for a check-up or hygienist visit. */
@Controller('recalls')
@UseGuards(ClinicGuard)
export class DentalRecallsController {
  constructor(
    private readonly prisma: PrismaService,
    @InjectQueue('recall-reminders') private readonly reminders: Queue,
  ) {}

  @Get('due')
  async listDue(
    @CurrentClinic() clinic: ClinicContext,
    @Query('cursor') cursor?: string,
    @Query('limit', new DefaultValuePipe(25), ParseIntPipe) limit = 25,
  ) {
    const take = Math.min(Math.max(limit, 1), MAX_PAGE);
    const rows = await this.prisma.recall.findMany({
      where: {
        clinicId: clinic.id,
        dueDate: { lte: new Date(Date.now() + 30 * 86_400_000) },
        status: 'pending',
      },
      select: { id: true, dueDate: true, kind: true, patient: { select: { id: true, fullName: true } } },
      orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
      take: take + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });

    const hasMore = rows.length > take;
    const items = hasMore ? rows.slice(0, take) : rows;
    return { items, nextCursor: hasMore ? items[items.length - 1].id : null };
  }

  @Post(':id/contacted')
  async markContacted(
    @CurrentClinic() clinic: ClinicContext,
    @Param('id') id: string,
    @Body() body: { channel: 'phone' | 'sms' | 'letter'; note?: string },
  ) {
    const { count } = await this.prisma.recall.updateMany({
      where: { id, clinicId: clinic.id, status: 'pending' },
      data: { status: 'contacted', contactedVia: body.channel, note: body.note?.slice(0, 500) },
    });
    if (count === 0) throw new NotFoundException('recall not found or already handled');
    return { id, status: 'contacted' };
  }

  /**
   * Sending this month's reminder texts can take a while for a big practice,
   * so the request only enqueues the run and returns its id for polling.
   * The job id makes a double-click enqueue the same run once.
   */
  @Post('reminders/run')
  @HttpCode(202)
  async queueReminderRun(@CurrentClinic() clinic: ClinicContext) {
    const month = new Date().toISOString().slice(0, 7);
    const job = await this.reminders.add(
      'send-month',
      { clinicId: clinic.id, month },
      { jobId: `recall-reminders:${clinic.id}:${month}`, attempts: 5, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 } },
    );
    return { jobId: job.id, statusUrl: `/recalls/reminders/run/${job.id}` };
  }

  @Get('reminders/run/:jobId')
  async reminderRunStatus(@CurrentClinic() clinic: ClinicContext, @Param('jobId') jobId: string) {
    const job = await this.reminders.getJob(jobId);
    if (!job || job.data.clinicId !== clinic.id) throw new NotFoundException();
    return { jobId, state: await job.getState(), progress: job.progress };
  }
}
