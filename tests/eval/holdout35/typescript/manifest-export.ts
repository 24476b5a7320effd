// src/manifests/manifest-export.controller.ts + manifest-export.processor.ts
// Harbour authorities ask operators for a season's foot-passenger manifests as CSV.
// A season can be hundreds of thousands of rows, so the export runs on the queue
// and the operator polls for the file.
import {
  Controller, ForbiddenException, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Body, UseGuards,
} from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { OperatorGuard, CurrentOperator } from '../auth/operator.guard';
import { ExportStorage } from '../storage/export-storage';

interface ExportJobData {
  operatorId: string;
  from: string;
  to: string;
}

const PAGE = 5_000;

@Controller('manifest-exports')
@UseGuards(OperatorGuard)
export class ManifestExportController {
  constructor(@InjectQueue('manifest-export') private readonly queue: Queue<ExportJobData>) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async request(@CurrentOperator() operatorId: string, @Body() body: { from: string; to: string }) {
    // Deterministic id: asking twice for the same range returns the same job.
    const jobId = `export:${operatorId}:${body.from}:${body.to}`;
    const job = await this.queue.add('export', { operatorId, from: body.from, to: body.to }, {
      jobId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 3 * 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    return { jobId: job.id, statusUrl: `/manifest-exports/${encodeURIComponent(job.id!)}` };
  }

  @Get(':jobId')
  async status(@CurrentOperator() operatorId: string, @Param('jobId') jobId: string) {
    const job = await this.queue.getJob(jobId);
    if (!job) throw new NotFoundException();
    if (job.data.operatorId !== operatorId) throw new ForbiddenException();
    const state = await job.getState();
    return { jobId, state, progress: job.progress, downloadUrl: state === 'completed' ? job.returnvalue?.url : null };
  }
}

@Processor('manifest-export', { concurrency: 2 })
export class ManifestExportProcessor extends WorkerHost {
  constructor(private readonly dataSource: DataSource, private readonly storage: ExportStorage) {
    super();
  }

  async process(job: Job<ExportJobData>): Promise<{ url: string; rows: number }> {
    const { operatorId, from, to } = job.data;
    const upload = this.storage.openCsvUpload(`${operatorId}/manifests-${from}-${to}.csv`, [
      'sailing', 'departs_at', 'surname', 'given_name', 'ticket_ref', 'nationality',
    ]);

    let lastId = 0;
    let rows = 0;
    // Keyset pagination keeps each query small however large the season is.
    for (;;) {
      const page: Array<Record<string, string> & { id: number }> = await this.dataSource.query(
        `SELECT p.id, s.code AS sailing, s.departs_at, p.surname, p.given_name, p.ticket_ref, p.nationality
           FROM foot_passengers p
           JOIN sailings s ON s.id = p.sailing_id AND s.operator_id = p.operator_id
          WHERE p.operator_id = $1 AND s.departs_at >= $2 AND s.departs_at < $3 AND p.id > $4
          ORDER BY p.id
          LIMIT $5`,
        [operatorId, from, to, lastId, PAGE],
      );
      if (page.length === 0) break;
      await upload.writeRows(page);
      rows += page.length;
      lastId = page[page.length - 1].id;
      await job.updateProgress({ rows });
    }

    // Signed link valid 3 days; the exports bucket has a 7-day lifecycle delete rule.
    const url = await upload.finish({ expiresInSeconds: 3 * 24 * 3600 });
    return { url, rows };
  }
}
