// Yes — generating the whole billing cycle inside `POST /billing-runs` is why the
// gateway cuts you off at 30s. Move the work to a BullMQ job and return 202 with a
// run id the UI can poll. Status lives in the `billing_runs` table, so it works no
// matter which of your 3 API pods the poll lands on.

// ---- billing-run.controller.ts ----
import { Controller, Post, Get, Param, Body, HttpCode, NotFoundException } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectRepository } from '@nestjs/typeorm';
import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import { Queue, Job } from 'bullmq';
import { Repository, In, MoreThan } from 'typeorm';
import { firstValueFrom } from 'rxjs';
import { BillingRun, ServiceAccount, MeterReading, InvoiceLine } from './entities';
import { rateReadings } from './tariffs';

@Controller('billing-runs')
export class BillingRunController {
  constructor(
    @InjectQueue('billing') private readonly queue: Queue,
    @InjectRepository(BillingRun) private readonly runs: Repository<BillingRun>,
  ) {}

  @Post()
  @HttpCode(202)
  async start(@Body() dto: { cycle: string }) {
    const run = await this.runs.save(this.runs.create({ cycle: dto.cycle, status: 'queued' }));
    await this.queue.add('run-cycle', { runId: run.id, cycle: dto.cycle }, {
      jobId: `cycle:${dto.cycle}`,            // same cycle can't be queued twice
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: 1000,
    });
    return { runId: run.id, status: 'queued' };
  }

  @Get(':id')
  async status(@Param('id') id: string) {
    const run = await this.runs.findOne({ where: { id } });
    if (!run) throw new NotFoundException();
    return run;
  }
}

// ---- billing-run.processor.ts ----
const PAGE = 500;

function backoffMs(attempt: number): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return Math.floor(base / 2 + Math.random() * (base / 2)); // jittered, capped at 30s
}

@Processor('billing', { concurrency: 1 })
export class BillingRunProcessor extends WorkerHost {
  private readonly log = new Logger(BillingRunProcessor.name);

  constructor(
    @InjectRepository(BillingRun) private readonly runs: Repository<BillingRun>,
    @InjectRepository(ServiceAccount) private readonly accounts: Repository<ServiceAccount>,
    @InjectRepository(MeterReading) private readonly readings: Repository<MeterReading>,
    @InjectRepository(InvoiceLine) private readonly lines: Repository<InvoiceLine>,
    private readonly http: HttpService, // HttpModule.register({ timeout: 5000, maxRedirects: 0 }) in BillingModule
  ) {
    super();
  }

  async process(job: Job<{ runId: string; cycle: string }>) {
    const { runId, cycle } = job.data;
    await this.runs.update(runId, { status: 'running' });

    let lastId = '00000000-0000-0000-0000-000000000000';
    let processed = 0;
    try {
      for (;;) {
        const page = await this.accounts.find({
          where: { id: MoreThan(lastId), active: true },
          order: { id: 'ASC' },
          take: PAGE,
        });
        if (page.length === 0) break;

        // one query per page of 500 accounts, not per account
        const readings = await this.readings.find({
          where: { accountId: In(page.map((a) => a.id)), cycle },
        });
        const lines = rateReadings(page, readings, runId);
        await this.lines.upsert(lines, ['runId', 'accountId', 'meterId']);
        await this.pushToLedger(runId, lines);

        processed += page.length;
        lastId = page[page.length - 1].id;
        await job.updateProgress(processed);
      }
      await this.runs.update(runId, { status: 'done', accounts: processed });
    } catch (err) {
      this.log.error(`billing run ${runId} failed after ${processed} accounts`, (err as Error).stack);
      await this.runs.update(runId, { status: 'failed' });
      throw err; // let BullMQ apply its own attempts/backoff
    }
  }

  private async pushToLedger(runId: string, lines: InvoiceLine[]) {
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        await firstValueFrom(this.http.post('/ledger/batches', { runId, lines }, {
          headers: { 'Idempotency-Key': `${runId}:${lines[0]?.accountId}` },
        }));
        return;
      } catch (err) {
        if (attempt === 3) throw err;
        this.log.warn(`ledger push retry ${attempt + 1}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, backoffMs(attempt)));
      }
    }
  }
}
