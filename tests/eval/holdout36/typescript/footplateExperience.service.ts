// experiences/footplate-experience.service.ts
// Steam railway footplate experiences: a guest spends a day on the footplate of one of the
// heritage locos under a driver and fireman. After each run the crew logs the miles so the
// boiler inspector knows when the next washout is due.
import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Locomotive } from './entities/locomotive.entity';
import { FootplateRun } from './entities/footplate-run.entity';
import { ConfigService } from '@nestjs/config';

export interface RunLogInput {
  experienceId: string;
  locomotiveId: string;
  driverId: string;
  miles: number;
  coalTonnes: number;
  remarks?: string;
}

@Injectable()
export class FootplateExperienceService {
  private readonly logger = new Logger(FootplateExperienceService.name);
  private readonly bookingOfficeUrl: string;

  constructor(
    @InjectRepository(Locomotive) private readonly locos: Repository<Locomotive>,
    @InjectRepository(FootplateRun) private readonly runs: Repository<FootplateRun>,
    config: ConfigService,
  ) {
    this.bookingOfficeUrl = config.getOrThrow<string>('BOOKING_OFFICE_URL');
  }

  // Called from the crew tablet at the end of each trip up the branch and back.
  async logRun(input: RunLogInput): Promise<FootplateRun> {
    const loco = await this.locos.findOneBy({ id: input.locomotiveId });
    if (!loco) throw new NotFoundException(`locomotive ${input.locomotiveId} not found`);

    const run = await this.runs.save(
      this.runs.create({
        experienceId: input.experienceId,
        locomotiveId: loco.id,
        driverId: input.driverId,
        miles: input.miles,
        coalTonnes: input.coalTonnes,
        remarks: input.remarks ?? null,
      }),
    );

    loco.milesSinceWashout += input.miles;
    loco.coalTonnesThisSeason += input.coalTonnes;
    if (loco.milesSinceWashout >= loco.washoutIntervalMiles) {
      loco.status = 'washout_due';
    }
    await this.locos.save(loco);

    await this.notifyBookingOffice(input.experienceId, run.id);
    return run;
  }

  // The booking office system marks the experience as "completed" and sends the guest
  // their certificate. It is an old on-prem box that sometimes drops connections.
  private async notifyBookingOffice(experienceId: string, runId: string): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        const res = await fetch(`${this.bookingOfficeUrl}/experiences/${experienceId}/complete`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `run-${runId}` },
          body: JSON.stringify({ runId }),
          signal: AbortSignal.timeout(4000),
        });
        if (res.ok) return;
        lastError = new Error(`booking office responded ${res.status}`);
      } catch (err) {
        lastError = err;
      }
      this.logger.warn(`booking office notify attempt ${attempt} failed for experience ${experienceId}`);
    }
    this.logger.error(`giving up notifying booking office for experience ${experienceId}`);
    throw lastError;
  }

  async washoutDue(): Promise<Locomotive[]> {
    return this.locos.find({
      where: { status: 'washout_due' },
      order: { milesSinceWashout: 'DESC' },
      take: 50,
    });
  }
}
