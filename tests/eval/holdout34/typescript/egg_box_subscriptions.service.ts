// src/subscriptions/egg-box-subscriptions.service.ts
// Smallholding egg box subscriptions. Several smallholdings use the same
// deployment; every query is scoped by farmId taken from the signed-in seller.

import { ConflictException, Injectable, NotFoundException, Logger } from "@nestjs/common";
import { InjectDataSource, InjectRepository } from "@nestjs/typeorm";
import { DataSource, MoreThan, Repository } from "typeorm";
import { EggBoxSubscription } from "./entities/egg-box-subscription.entity";
import { WeeklyAllocation } from "./entities/weekly-allocation.entity";

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}

@Injectable()
export class EggBoxSubscriptionsService {
  private readonly logger = new Logger(EggBoxSubscriptionsService.name);

  constructor(
    @InjectRepository(EggBoxSubscription)
    private readonly subscriptions: Repository<EggBoxSubscription>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async listActive(farmId: string, afterId = 0, limit = 50): Promise<Page<EggBoxSubscription>> {
    const take = Math.min(Math.max(limit, 1), 100);
    const items = await this.subscriptions.find({
      where: { farmId, status: "active", id: MoreThan(afterId) },
      order: { id: "ASC" },
      take,
    });
    return { items, nextCursor: items.length === take ? items[items.length - 1].id : null };
  }

  /**
   * Use one of the subscriber's prepaid boxes for a given week. The row is
   * locked (SELECT ... FOR UPDATE) so two collections at the farm gate and the
   * weekly delivery run cannot both spend the last prepaid box.
   */
  async allocateWeek(farmId: string, subscriptionId: number, weekStart: string): Promise<WeeklyAllocation> {
    return this.dataSource.transaction(async (em) => {
      const sub = await em.findOne(EggBoxSubscription, {
        where: { id: subscriptionId, farmId },
        lock: { mode: "pessimistic_write" },
      });
      if (!sub) throw new NotFoundException("Subscription not found");
      if (sub.prepaidBoxesRemaining <= 0) {
        throw new ConflictException("No prepaid boxes left - ask the subscriber to top up");
      }

      // unique (subscription_id, week_start): a second allocation for the week is ignored
      const insert = await em
        .createQueryBuilder()
        .insert()
        .into(WeeklyAllocation)
        .values({ subscriptionId: sub.id, farmId, weekStart, boxSize: sub.boxSize })
        .orIgnore()
        .returning(["id", "weekStart", "boxSize"])
        .execute();

      if (insert.raw.length === 0) {
        const existing = await em.findOneOrFail(WeeklyAllocation, {
          where: { subscriptionId: sub.id, farmId, weekStart },
        });
        return existing;
      }

      sub.prepaidBoxesRemaining -= 1;
      await em.save(sub);
      this.logger.log(`allocated ${sub.boxSize}-egg box for sub ${sub.id}, week ${weekStart}`);
      return insert.raw[0] as WeeklyAllocation;
    });
  }

  async pause(farmId: string, subscriptionId: number, untilWeek: string): Promise<void> {
    const result = await this.subscriptions.update(
      { id: subscriptionId, farmId, status: "active" },
      { status: "paused", pausedUntil: untilWeek },
    );
    if (!result.affected) {
      throw new NotFoundException("No active subscription to pause");
    }
  }
}
