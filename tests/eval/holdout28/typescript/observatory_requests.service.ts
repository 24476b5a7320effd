import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { TelescopeRequest, RequestStatus } from './entities/telescope-request.entity';
import { Telescope } from './entities/telescope.entity';
import { CurrentUser } from '../auth/current-user';

export interface CreateTimeRequestDto {
  telescopeId: string;
  targetName: string;
  raDeg: number;
  decDeg: number;
  requestedMinutes: number;
  preferredNight: string; // YYYY-MM-DD
  scienceCase: string;
}

/**
 * Telescope time requests. The platform hosts several amateur and university
 * observatories; each observatory is a tenant (observatoryId on every row).
 */
@Injectable()
export class ObservatoryRequestsService {
  constructor(
    @InjectRepository(TelescopeRequest) private readonly requests: Repository<TelescopeRequest>,
    @InjectRepository(Telescope) private readonly telescopes: Repository<Telescope>,
  ) {}

  async create(user: CurrentUser, dto: CreateTimeRequestDto): Promise<TelescopeRequest> {
    const telescope = await this.telescopes.findOne({
      where: { id: dto.telescopeId, observatoryId: user.observatoryId, active: true },
    });
    if (!telescope) throw new NotFoundException('Telescope not found');

    const entity = this.requests.create({
      observatoryId: user.observatoryId,
      telescopeId: telescope.id,
      requesterId: user.id,
      targetName: dto.targetName.trim(),
      raDeg: dto.raDeg,
      decDeg: dto.decDeg,
      requestedMinutes: Math.min(dto.requestedMinutes, telescope.maxSessionMinutes),
      preferredNight: dto.preferredNight,
      scienceCase: dto.scienceCase.slice(0, 4000),
      status: RequestStatus.Pending,
    });
    return this.requests.save(entity);
  }

  /** Time allocation committee queue: pending requests for this observatory, oldest first. */
  async pendingQueue(user: CurrentUser, page = 0): Promise<TelescopeRequest[]> {
    return this.requests.find({
      where: { observatoryId: user.observatoryId, status: RequestStatus.Pending },
      order: { createdAt: 'ASC' },
      take: 50,
      skip: page * 50,
    });
  }

  /** Everything a member has ever asked for, shown on their profile page. */
  async historyFor(user: CurrentUser): Promise<TelescopeRequest[]> {
    const history = await this.requests.find({
      where: { observatoryId: user.observatoryId, requesterId: user.id },
      relations: { telescope: true },
      order: { createdAt: 'DESC' },
    });
    return history;
  }

  async decide(user: CurrentUser, requestId: string, approve: boolean, minutes?: number) {
    if (!user.roles.includes('tac-member')) {
      throw new ForbiddenException('Only the allocation committee can decide requests');
    }

    const request = await this.requests.findOne({ where: { id: requestId } });
    if (!request) throw new NotFoundException('Request not found');

    request.status = approve ? RequestStatus.Approved : RequestStatus.Declined;
    request.allocatedMinutes = approve ? minutes ?? request.requestedMinutes : 0;
    request.decidedById = user.id;
    request.decidedAt = new Date();
    return this.requests.save(request);
  }

  async countsByStatus(user: CurrentUser, telescopeIds: string[]) {
    return this.requests
      .createQueryBuilder('r')
      .select('r.telescopeId', 'telescopeId')
      .addSelect('r.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('r.observatoryId = :obs', { obs: user.observatoryId })
      .andWhere({ telescopeId: In(telescopeIds) })
      .andWhere("r.createdAt > now() - interval '90 days'")
      .groupBy('r.telescopeId')
      .addGroupBy('r.status')
      .getRawMany();
  }
}
