import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, QueryFailedError } from 'typeorm';
import { PlantingSession } from './planting-session.entity';
import { Signup } from './signup.entity';

/**
 * Volunteer sign-ups for hedgerow planting days. Each conservation group (tenant)
 * runs its own sessions; a session has a fixed number of spades/whips and so a cap
 * on volunteers. signups has UNIQUE (session_id, volunteer_id).
 */
@Injectable()
export class HedgerowSignupsService {
  private readonly logger = new Logger(HedgerowSignupsService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async signUp(groupId: number, sessionId: number, volunteerId: number): Promise<Signup> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const session = await manager
          .getRepository(PlantingSession)
          .createQueryBuilder('s')
          .setLock('pessimistic_write')
          .where('s.id = :sessionId AND s.groupId = :groupId', { sessionId, groupId })
          .getOne();

        if (!session) {
          throw new NotFoundException('planting session not found');
        }

        const taken = await manager.count(Signup, { where: { sessionId, cancelledAt: IsNull() } });
        if (taken >= session.capacity) {
          throw new ConflictException('session is full');
        }

        const signup = manager.create(Signup, { groupId, sessionId, volunteerId });
        return manager.save(signup);
      });
    } catch (err) {
      if (err instanceof QueryFailedError && (err as any).driverError?.code === '23505') {
        throw new ConflictException('already signed up for this session');
      }
      throw err;
    }
  }

  async cancel(groupId: number, sessionId: number, volunteerId: number): Promise<void> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Signup)
      .set({ cancelledAt: () => 'now()' })
      .where('groupId = :groupId AND sessionId = :sessionId AND volunteerId = :volunteerId', {
        groupId,
        sessionId,
        volunteerId,
      })
      .andWhere('cancelledAt IS NULL')
      .execute();

    if (result.affected === 0) {
      throw new NotFoundException('no active sign-up');
    }
    this.logger.log(`volunteer ${volunteerId} cancelled session ${sessionId}`);
  }

  async roster(groupId: number, sessionId: number, page = 0, pageSize = 50) {
    const size = Math.min(Math.max(pageSize, 1), 100);
    return this.dataSource
      .getRepository(Signup)
      .createQueryBuilder('su')
      .innerJoin('su.volunteer', 'v')
      .select(['su.id', 'su.createdAt', 'v.id', 'v.firstName', 'v.emergencyContact'])
      .where('su.groupId = :groupId AND su.sessionId = :sessionId', { groupId, sessionId })
      .andWhere('su.cancelledAt IS NULL')
      .orderBy('su.createdAt', 'ASC')
      .take(size)
      .skip(page * size)
      .getMany();
  }

  async upcomingForVolunteer(groupId: number, volunteerId: number) {
    return this.dataSource
      .getRepository(Signup)
      .createQueryBuilder('su')
      .innerJoinAndSelect('su.session', 's')
      .where('su.groupId = :groupId AND su.volunteerId = :volunteerId', { groupId, volunteerId })
      .andWhere('su.cancelledAt IS NULL AND s.startsAt > now()')
      .orderBy('s.startsAt', 'ASC')
      .take(20)
      .getMany();
  }
}
