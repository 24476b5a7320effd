import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

export interface WalkLogDto {
  placementId: number;
  minutes: number;
  environment: 'town' | 'rural' | 'transport' | 'shop' | 'home';
  notes?: string;
}

/**
 * Guide-dog puppy walker placements. A puppy lives with a volunteer walker from
 * ~8 weeks to ~14 months; walkers log socialisation outings, and each region's
 * coordinator reviews progress and moves puppies between walkers.
 */
@Injectable()
export class PuppyPlacementsService {
  constructor(private readonly prisma: PrismaService) {}

  async logWalk(regionId: number, walkerId: number, dto: WalkLogDto) {
    const placement = await this.prisma.placement.findFirst({
      where: { id: dto.placementId, regionId, walkerId, endedOn: null },
      select: { id: true, puppyId: true },
    });
    if (!placement) throw new NotFoundException('no active placement');

    const outing = await this.prisma.outing.create({
      data: {
        placementId: placement.id,
        puppyId: placement.puppyId,
        minutes: dto.minutes,
        environment: dto.environment,
        notes: dto.notes ?? null,
      },
    });

    // Volunteer hours feed the annual recognition awards.
    const walker = await this.prisma.walker.findUniqueOrThrow({ where: { id: walkerId } });
    await this.prisma.walker.update({
      where: { id: walkerId },
      data: { minutesVolunteered: walker.minutesVolunteered + dto.minutes },
    });

    return outing;
  }

  async endPlacement(regionId: number, placementId: number, reason: string) {
    const { count } = await this.prisma.placement.updateMany({
      where: { id: placementId, regionId, endedOn: null },
      data: { endedOn: new Date(), endReason: reason },
    });
    if (count === 0) throw new ConflictException('placement not active');
  }

  async activeForRegion(regionId: number, cursor?: number) {
    return this.prisma.placement.findMany({
      where: { regionId, endedOn: null },
      include: { puppy: { select: { name: true, breed: true, bornOn: true } }, walker: { select: { displayName: true } } },
      orderBy: { id: 'asc' },
      take: 50,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
  }

  /** Full placement history for the coordinator's "history" tab (JSON download). */
  async historyForRegion(regionId: number) {
    const placements = await this.prisma.placement.findMany({
      where: { regionId },
      include: {
        puppy: { select: { name: true, breed: true, bornOn: true, qualifiedOn: true } },
        walker: { select: { displayName: true, postcodeArea: true } },
        outings: { select: { minutes: true, environment: true, createdAt: true } },
      },
      orderBy: { startedOn: 'desc' },
    });

    return placements.map((p) => ({
      id: p.id,
      puppy: p.puppy.name,
      breed: p.puppy.breed,
      walker: p.walker.displayName,
      area: p.walker.postcodeArea,
      startedOn: p.startedOn,
      endedOn: p.endedOn,
      outingCount: p.outings.length,
      outingMinutes: p.outings.reduce((sum, o) => sum + o.minutes, 0),
      qualified: p.puppy.qualifiedOn !== null,
    }));
  }
}
