import { Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, LessThan, MoreThan, In } from 'typeorm';
import { Walk, WalkStatus } from './entities/walk.entity';
import { WalkReport } from './entities/walk-report.entity';
import { Walker } from './entities/walker.entity';

// Every table here is scoped by agencyId (one PawPath tenant = one walking agency).

@Injectable()
export class WalksService {
  constructor(
    @InjectRepository(Walk) private readonly walks: Repository<Walk>,
    @InjectRepository(WalkReport) private readonly reports: Repository<WalkReport>,
    @InjectRepository(Walker) private readonly walkers: Repository<Walker>,
  ) {}

  async upcomingForWalker(agencyId: string, walkerId: string, after?: Date, limit = 20) {
    return this.walks.find({
      where: { agencyId, walkerId, startsAt: MoreThan(after ?? new Date()) },
      order: { startsAt: 'ASC' },
      take: Math.min(limit, 100),
      relations: { dogs: true },
    });
  }

  async getWalk(agencyId: string, walkId: string) {
    const walk = await this.walks.findOne({ where: { id: walkId, agencyId }, relations: { dogs: true } });
    if (!walk) throw new NotFoundException();
    return walk;
  }

  async assignWalker(agencyId: string, walkId: string, walkerId: string) {
    const walker = await this.walkers.findOne({ where: { id: walkerId, agencyId, active: true } });
    if (!walker) throw new NotFoundException('walker');

    // only unassigned, still-requested walks can be assigned; conditional update = no race
    const res = await this.walks
      .createQueryBuilder()
      .update(Walk)
      .set({ walkerId, status: WalkStatus.Confirmed })
      .where('id = :walkId AND agency_id = :agencyId AND walker_id IS NULL AND status = :status', {
        walkId,
        agencyId,
        status: WalkStatus.Requested,
      })
      .execute();
    if (res.affected !== 1) throw new ConflictException('walk already assigned');
    return this.getWalk(agencyId, walkId);
  }

  // Report card the walker fills in (photos, pee/poo, notes) — opened from the owner's push notification
  async getReport(agencyId: string, walkId: string) {
    const report = await this.reports.findOne({
      where: { walkId },
      relations: { photos: true },
    });
    if (!report) throw new NotFoundException();
    return report;
  }

  async overdueReports(agencyId: string, now = new Date()) {
    const walks = await this.walks.find({
      where: { agencyId, status: WalkStatus.Completed, endsAt: LessThan(new Date(now.getTime() - 2 * 3600_000)) },
      select: { id: true, walkerId: true, endsAt: true },
      take: 200,
    });
    if (walks.length === 0) return [];
    const filed = await this.reports.find({
      where: { agencyId, walkId: In(walks.map((w) => w.id)) },
      select: { walkId: true },
    });
    const done = new Set(filed.map((r) => r.walkId));
    return walks.filter((w) => !done.has(w.id));
  }
}
