// tram-workshop/shift-signup.service.ts
// Volunteers sign up for restoration shifts on the 1920s Brill tramcar. Each shift
// has a fixed number of places (the workshop pit only takes so many people).

import { Injectable, ConflictException, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual, Repository } from 'typeorm';
import { RestorationShift } from './entities/restoration-shift.entity';
import { ShiftSignup } from './entities/shift-signup.entity'; // @Unique(['shiftId', 'volunteerId'])

@Injectable()
export class ShiftSignupService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(RestorationShift) private readonly shifts: Repository<RestorationShift>,
  ) {}

  /** Upcoming shifts for the sign-up board (next 60 at most). */
  upcoming(from = new Date()) {
    return this.shifts.find({
      where: { startsAt: MoreThanOrEqual(from), cancelled: false },
      order: { startsAt: 'ASC' },
      take: 60,
      select: { id: true, task: true, startsAt: true, endsAt: true, places: true, placesTaken: true },
    });
  }

  /**
   * The shift row is locked (SELECT ... FOR UPDATE) while we check places and
   * insert the signup, so two volunteers can't both take the last place.
   */
  async signUp(shiftId: number, volunteerId: number) {
    return this.dataSource.transaction(async (manager) => {
      const shift = await manager.findOne(RestorationShift, {
        where: { id: shiftId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!shift || shift.cancelled) throw new NotFoundException('Shift not found');
      if (shift.placesTaken >= shift.places) throw new ConflictException('This shift is full');

      const already = await manager.exists(ShiftSignup, { where: { shiftId, volunteerId } });
      if (already) throw new ConflictException('You are already on this shift');

      await manager.insert(ShiftSignup, { shiftId, volunteerId, signedUpAt: new Date() });
      await manager.increment(RestorationShift, { id: shiftId }, 'placesTaken', 1);
      return { shiftId, placesLeft: shift.places - shift.placesTaken - 1 };
    });
  }

  /** Dropping out frees the place again. */
  async withdraw(shiftId: number, volunteerId: number) {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.delete(ShiftSignup, { shiftId, volunteerId });
      if (!result.affected) throw new NotFoundException('You are not on this shift');
      await manager.decrement(RestorationShift, { id: shiftId }, 'placesTaken', 1);
    });
  }
}
