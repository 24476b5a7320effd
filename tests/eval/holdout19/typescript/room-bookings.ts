// src/bookings/room-bookings.ts  (controller + service, coworking meeting rooms)
import { Body, Controller, ConflictException, Injectable, NotFoundException, Param, Post, Req, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MemberGuard } from '../auth/member.guard';
import { Booking, BookingStatus } from './booking.entity';

const HOLD_MINUTES = 10; // member has 10 min to confirm (and pay, for day passes)

export class HoldRoomDto {
  startsAt!: string;
  endsAt!: string;
}

@Injectable()
export class RoomBookingsService {
  constructor(@InjectRepository(Booking) private readonly bookings: Repository<Booking>) {}

  async hold(roomId: number, memberId: number, start: Date, end: Date): Promise<Booking> {
    // Any confirmed booking, or a hold that hasn't lapsed yet, blocks the slot.
    const clash = await this.bookings
      .createQueryBuilder('b')
      .where('b.roomId = :roomId', { roomId })
      .andWhere('b.startsAt < :end AND b.endsAt > :start', { start, end })
      .andWhere("(b.status = 'confirmed' OR (b.status = 'held' AND b.holdExpiresAt > now()))")
      .getOne();
    if (clash) {
      throw new ConflictException('Room is already booked for that time');
    }

    const booking = this.bookings.create({
      roomId,
      memberId,
      startsAt: start,
      endsAt: end,
      status: BookingStatus.Held,
      holdExpiresAt: new Date(Date.now() + HOLD_MINUTES * 60_000),
    });
    return this.bookings.save(booking);
  }

  async confirm(bookingId: number, memberId: number): Promise<void> {
    const result = await this.bookings
      .createQueryBuilder()
      .update(Booking)
      .set({ status: BookingStatus.Confirmed, holdExpiresAt: null })
      .where('id = :bookingId AND memberId = :memberId', { bookingId, memberId })
      .andWhere("status = 'held' AND holdExpiresAt > now()")
      .execute();
    if (!result.affected) {
      throw new NotFoundException('Hold not found or expired, please pick the slot again');
    }
  }

  async myUpcoming(memberId: number): Promise<Booking[]> {
    return this.bookings
      .createQueryBuilder('b')
      .where('b.memberId = :memberId', { memberId })
      .andWhere('b.endsAt > now()')
      .andWhere("(b.status = 'confirmed' OR (b.status = 'held' AND b.holdExpiresAt > now()))")
      .orderBy('b.startsAt', 'ASC')
      .limit(50)
      .getMany();
  }
}

@Controller('rooms')
@UseGuards(MemberGuard)
export class RoomBookingsController {
  constructor(private readonly service: RoomBookingsService) {}

  @Post(':roomId/holds')
  hold(@Param('roomId') roomId: string, @Body() dto: HoldRoomDto, @Req() req: any) {
    return this.service.hold(Number(roomId), req.member.id, new Date(dto.startsAt), new Date(dto.endsAt));
  }

  @Post('bookings/:id/confirm')
  confirm(@Param('id') id: string, @Req() req: any) {
    return this.service.confirm(Number(id), req.member.id);
  }
}
