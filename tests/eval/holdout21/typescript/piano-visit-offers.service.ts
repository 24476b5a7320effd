// src/visits/visit-offers.service.ts — piano tuning visit offers (NestJS + TypeORM)
//
// When a tuner frees up a slot, we offer it to customers on the "earliest visit" list.
// An offer holds the slot for 30 minutes; accepting converts it into a visit.
import { Injectable, ConflictException, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource, LessThan } from 'typeorm';
import { VisitOffer } from './entities/visit-offer.entity';
import { TunerSlot } from './entities/tuner-slot.entity';
import { Visit } from './entities/visit.entity';

const OFFER_TTL_MS = 30 * 60 * 1000;

@Injectable()
export class VisitOffersService {
  private readonly logger = new Logger(VisitOffersService.name);

  constructor(private readonly dataSource: DataSource) {}

  async offerSlot(companyId: string, slotId: string, customerId: string) {
    return this.dataSource.transaction(async (em) => {
      const slot = await em.findOne(TunerSlot, {
        where: { id: slotId, companyId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!slot || slot.status !== 'free') throw new ConflictException('slot not free');

      slot.status = 'offered';
      await em.save(slot);
      return em.save(
        em.create(VisitOffer, {
          companyId,
          slotId,
          customerId,
          expiresAt: new Date(Date.now() + OFFER_TTL_MS),
        }),
      );
    });
  }

  async acceptOffer(companyId: string, offerId: string, customerId: string) {
    return this.dataSource.transaction(async (em) => {
      const offer = await em.findOne(VisitOffer, {
        where: { id: offerId, companyId, customerId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!offer || offer.expiresAt.getTime() < Date.now()) {
        throw new ConflictException('offer expired');
      }
      await em.update(TunerSlot, { id: offer.slotId, companyId }, { status: 'booked' });
      await em.delete(VisitOffer, { id: offer.id });
      return em.save(em.create(Visit, { companyId, slotId: offer.slotId, customerId }));
    });
  }

  /** Release slots from lapsed offers and delete the offer rows. */
  @Cron(CronExpression.EVERY_5_MINUTES)
  async expireOffers() {
    try {
      await this.dataSource.transaction(async (em) => {
        const lapsed = await em.find(VisitOffer, {
          where: { expiresAt: LessThan(new Date()) },
          select: { id: true, slotId: true },
          take: 1000,
          lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
        });
        if (lapsed.length === 0) return;
        await em
          .createQueryBuilder()
          .update(TunerSlot)
          .set({ status: 'free' })
          .where('id IN (:...ids) AND status = :offered', {
            ids: lapsed.map((o) => o.slotId),
            offered: 'offered',
          })
          .execute();
        await em.delete(VisitOffer, lapsed.map((o) => o.id));
        this.logger.log(`expired ${lapsed.length} visit offers`);
      });
    } catch (err) {
      this.logger.error('expireOffers failed', err as Error);
      throw err;
    }
  }
}
