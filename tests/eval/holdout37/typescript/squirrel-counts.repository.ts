import { PrismaClient } from '@prisma/client';

export class FeederNotFoundError extends Error {
  constructor(feederId: string) {
    super(`Feeder ${feederId} not found in this group`);
  }
}

/**
 * Red squirrel feeder counts, entered by volunteers walking their feeder
 * rounds. Several local wildlife groups share the platform; a group only ever
 * sees its own feeders, so every query carries groupId.
 */
export class SquirrelCountsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Add a volunteer's tally. The running season total is incremented in the
   * database and the day row is upserted on its (feederId, day) unique key,
   * so two volunteers submitting at once both count.
   */
  async recordTally(groupId: string, feederId: string, day: Date, reds: number, greys: number) {
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.feeder.updateMany({
        where: { id: feederId, groupId },
        data: {
          seasonRedCount: { increment: reds },
          seasonGreyCount: { increment: greys },
          lastVisitedAt: new Date(),
        },
      });
      if (updated.count === 0) {
        throw new FeederNotFoundError(feederId);
      }

      return tx.dailyCount.upsert({
        where: { feederId_day: { feederId, day } },
        create: { feederId, groupId, day, reds, greys },
        update: { reds: { increment: reds }, greys: { increment: greys } },
      });
    });
  }

  /** A page of a group's feeders for the map, ordered by id for stable cursors. */
  async listFeeders(groupId: string, cursor?: string, pageSize = 50) {
    const take = Math.min(pageSize, 200);
    const feeders = await this.prisma.feeder.findMany({
      where: { groupId, decommissionedAt: null },
      orderBy: { id: 'asc' },
      take: take + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, label: true, lat: true, lng: true, seasonRedCount: true, seasonGreyCount: true },
    });
    const hasMore = feeders.length > take;
    return { feeders: feeders.slice(0, take), nextCursor: hasMore ? feeders[take - 1].id : null };
  }

  /** Last 14 days for the feeders currently on screen: one query for the lot. */
  async recentForFeeders(groupId: string, feederIds: string[]) {
    if (feederIds.length === 0) return new Map<string, { day: Date; reds: number; greys: number }[]>();
    const since = new Date(Date.now() - 14 * 24 * 3600 * 1000);

    const rows = await this.prisma.dailyCount.findMany({
      where: { groupId, feederId: { in: feederIds.slice(0, 200) }, day: { gte: since } },
      orderBy: [{ feederId: 'asc' }, { day: 'asc' }],
      take: 200 * 14,
      select: { feederId: true, day: true, reds: true, greys: true },
    });

    const byFeeder = new Map<string, { day: Date; reds: number; greys: number }[]>();
    for (const r of rows) {
      const list = byFeeder.get(r.feederId) ?? [];
      list.push({ day: r.day, reds: r.reds, greys: r.greys });
      byFeeder.set(r.feederId, list);
    }
    return byFeeder;
  }
}
