import { Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { RosterShift } from './entities/roster-shift.entity';
import { Driver } from './entities/driver.entity';

export interface DriverProfile {
  id: string;
  name: string;
  licenceCategories: string[];
  midasExpires: Date | null;
}

// Driver profiles rarely change, so keep them around between requests.
const profileCache = new Map<string, DriverProfile>();

/**
 * Community minibus driver rosters. Each community transport operator is a
 * tenant on the platform (operatorId comes from the signed-in coordinator).
 */
@Injectable()
export class MinibusRosterService {
  constructor(
    @InjectRepository(RosterShift) private readonly shifts: Repository<RosterShift>,
    @InjectRepository(Driver) private readonly drivers: Repository<Driver>,
  ) {}

  async listWeek(operatorId: string, weekStart: Date): Promise<RosterShift[]> {
    const weekEnd = new Date(weekStart.getTime() + 7 * 24 * 3600 * 1000);
    return this.shifts.find({
      where: { operatorId, startsAt: Between(weekStart, weekEnd) },
      relations: { vehicle: true },
      order: { startsAt: 'ASC' },
      take: 200,
    });
  }

  async getShift(operatorId: string, shiftId: string): Promise<RosterShift> {
    const shift = await this.shifts.findOne({
      where: { id: shiftId },
      relations: { vehicle: true, driver: true },
    });
    if (!shift) {
      throw new NotFoundException(`Shift ${shiftId} not found`);
    }
    return shift;
  }

  async getDriverProfile(operatorId: string, driverId: string): Promise<DriverProfile> {
    const cacheKey = `${operatorId}:${driverId}`;
    const hit = profileCache.get(cacheKey);
    if (hit) return hit;

    const driver = await this.drivers.findOne({ where: { id: driverId, operatorId } });
    if (!driver) throw new NotFoundException('Driver not found');

    const profile: DriverProfile = {
      id: driver.id,
      name: driver.displayName,
      licenceCategories: driver.licenceCategories,
      midasExpires: driver.midasExpiresAt,
    };
    profileCache.set(cacheKey, profile);
    return profile;
  }

  /**
   * Put a driver on an open shift. The update only matches if the shift is
   * still unassigned, so two coordinators cannot both fill it.
   */
  async assignDriver(operatorId: string, shiftId: string, driverId: string): Promise<void> {
    const profile = await this.getDriverProfile(operatorId, driverId);
    if (!profile.licenceCategories.includes('D1')) {
      throw new ConflictException('Driver is not licensed for minibuses (D1)');
    }

    const result = await this.shifts
      .createQueryBuilder()
      .update(RosterShift)
      .set({ driverId, assignedAt: () => 'now()' })
      .where('id = :shiftId AND operator_id = :operatorId AND driver_id IS NULL', { shiftId, operatorId })
      .execute();

    if (result.affected !== 1) {
      throw new ConflictException('Shift already has a driver');
    }
  }
}
