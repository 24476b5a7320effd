import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Booking } from './booking.entity';
import { Room } from './room.entity';

@Injectable()
export class BookingsService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    @InjectRepository(Room) private readonly rooms: Repository<Room>,
    private readonly dataSource: DataSource,
  ) {}

  async book(roomId: number, userId: number, night: string): Promise<Booking> {
    const existing = await this.bookings.findOne({ where: { roomId, night } });
    if (existing) {
      throw new ConflictException('room already booked for that night');
    }
    const booking = this.bookings.create({ roomId, userId, night });
    return this.bookings.save(booking);
  }

  async upgrade(bookingId: number, newRoomId: number): Promise<Booking> {
    return this.dataSource.transaction(async (manager) => {
      const room = await manager.findOne(Room, {
        where: { id: newRoomId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!room) throw new NotFoundException();
      if (room.available <= 0) throw new ConflictException('no rooms left');
      room.available -= 1;
      await manager.save(room);
      await manager.update(Booking, bookingId, { roomId: newRoomId });
      return manager.findOneByOrFail(Booking, { id: bookingId });
    });
  }

  async cancel(bookingId: number, userId: number): Promise<void> {
    const res = await this.bookings.delete({ id: bookingId, userId });
    if (!res.affected) throw new NotFoundException();
  }
}
