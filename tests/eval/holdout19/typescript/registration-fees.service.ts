// src/fees/registration-fees.service.ts
// Youth soccer league: registration fees, family credit and unpaid-fee reminders.
// HttpModule is registered in FeesModule with { timeout: 5000, maxRedirects: 0 }, so every
// call through this HttpService gets the client-level timeout.
import { HttpService } from '@nestjs/axios';
import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { firstValueFrom } from 'rxjs';
import { PrismaService } from '../prisma/prisma.service';

@Injectable()
export class RegistrationFeesService {
  private readonly logger = new Logger(RegistrationFeesService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly http: HttpService,
    @InjectQueue('emails') private readonly emails: Queue,
  ) {}

  /** Pay part of a registration fee out of the family's credit (sibling refunds etc.). */
  async applyFamilyCredit(familyId: string, registrationId: string, amountCents: number) {
    return this.prisma.$transaction(async (tx) => {
      const debited = await tx.family.updateMany({
        where: { id: familyId, creditCents: { gte: amountCents } },
        data: { creditCents: { decrement: amountCents } },
      });
      if (debited.count === 0) {
        throw new ConflictException('Not enough family credit');
      }
      return tx.registration.update({
        where: { id: registrationId, familyId },
        data: { paidCents: { increment: amountCents } },
      });
    });
  }

  /** Card payment through the league's payment provider. */
  async chargeCard(registrationId: string, paymentMethodId: string, amountCents: number) {
    try {
      const { data } = await firstValueFrom(
        this.http.post('/v1/charges', {
          amount: amountCents,
          currency: 'usd',
          payment_method: paymentMethodId,
          idempotency_key: `reg-${registrationId}-${amountCents}`,
        }),
      );
      await this.prisma.registration.update({
        where: { id: registrationId },
        data: { paidCents: { increment: amountCents }, lastChargeId: data.id },
      });
      return data;
    } catch (err) {
      this.logger.error(`card charge failed for registration ${registrationId}`, err as Error);
      throw err;
    }
  }

  /**
   * Nightly reminder for unpaid fees. Runs in the worker deployment (1 replica).
   * Walks unpaid registrations 500 at a time; one guardian query per page.
   */
  @Cron(CronExpression.EVERY_DAY_AT_6PM)
  async remindUnpaid() {
    let cursor: string | undefined;
    for (;;) {
      const page = await this.prisma.registration.findMany({
        where: { status: 'pending_payment', season: process.env.CURRENT_SEASON },
        select: { id: true, playerName: true, familyId: true, feeCents: true, paidCents: true },
        orderBy: { id: 'asc' },
        take: 500,
        ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      });
      if (page.length === 0) break;

      const guardians = await this.prisma.guardian.findMany({
        where: { familyId: { in: [...new Set(page.map((r) => r.familyId))] }, isPrimary: true },
        select: { familyId: true, email: true },
      });
      const emailByFamily = new Map(guardians.map((g) => [g.familyId, g.email]));

      await this.emails.addBulk(
        page
          .filter((r) => emailByFamily.has(r.familyId))
          .map((r) => ({
            name: 'fee-reminder',
            data: { to: emailByFamily.get(r.familyId), player: r.playerName, dueCents: r.feeCents - r.paidCents },
            opts: { jobId: `fee-reminder:${r.id}:${new Date().toISOString().slice(0, 10)}` },
          })),
      );
      cursor = page[page.length - 1].id;
    }
  }
}
