// bookings/booking.service.ts
import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { Booking } from './booking.entity';
import { MeetingRoom } from '../rooms/meeting-room.entity';
import { CreateBookingDto } from './dto/create-booking.dto';

@Injectable()
export class BookingService {
  private readonly logger = new Logger(BookingService.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Books a meeting room. The room row is locked (SELECT ... FOR UPDATE) for the
   * duration of the transaction so two overlapping requests are serialised; the
   * bookings table also has an exclusion constraint on (room_id, tstzrange) as a backstop.
   */
  async book(workspaceId: string, memberId: string, dto: CreateBookingDto): Promise<Booking> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const room = await manager.getRepository(MeetingRoom).findOne({
          where: { id: dto.roomId, workspaceId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!room) throw new NotFoundException('room not found');

        const clash = await manager.getRepository(Booking).exist({
          where: {
            roomId: room.id,
            workspaceId,
            startsAt: LessThan(dto.endsAt),
            endsAt: MoreThan(dto.startsAt),
          },
        });
        if (clash) throw new ConflictException('room already booked for that time');

        return manager.getRepository(Booking).save({
          workspaceId,
          roomId: room.id,
          memberId,
          startsAt: dto.startsAt,
          endsAt: dto.endsAt,
        });
      });
    } catch (err: any) {
      if (err?.code === '23P01') {
        // exclusion_violation from the backstop constraint
        throw new ConflictException('room already booked for that time');
      }
      this.logger.error(`booking failed for room ${dto.roomId}`, err?.stack);
      throw err;
    }
  }

  async upcomingForMember(workspaceId: string, memberId: string) {
    return this.dataSource.getRepository(Booking).find({
      where: { workspaceId, memberId, startsAt: MoreThan(new Date()) },
      order: { startsAt: 'ASC' },
      take: 50,
    });
  }

  async cancel(workspaceId: string, memberId: string, bookingId: string) {
    const res = await this.dataSource
      .getRepository(Booking)
      .delete({ id: bookingId, workspaceId, memberId });
    if (!res.affected) throw new NotFoundException();
  }
}
