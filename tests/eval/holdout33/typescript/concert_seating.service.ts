// src/seating/concert-seating.service.ts
// Seat reservations for community choir concerts. Each choir (tenant) runs its
// own concerts; the seating plan is a fixed set of Seat rows per concert.
import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { Seat, SeatStatus } from './seat.entity';
import { SeatReservation } from './seat-reservation.entity';

const MAX_SEATS_PER_RESERVATION = 8;
const MAX_SEATS_IN_PLAN = 450; // largest venue we use is the abbey nave

export interface ReserveSeatsInput {
  choirId: string;
  concertId: string;
  seatIds: string[];
  patronName: string;
  patronEmail: string;
}

@Injectable()
export class ConcertSeatingService {
  private readonly logger = new Logger(ConcertSeatingService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Seat) private readonly seats: Repository<Seat>,
  ) {}

  seatingPlan(choirId: string, concertId: string): Promise<Seat[]> {
    return this.seats.find({
      where: { choirId, concertId },
      select: { id: true, block: true, row: true, number: true, status: true },
      order: { block: 'ASC', row: 'ASC', number: 'ASC' },
      take: MAX_SEATS_IN_PLAN,
    });
  }

  async reserveSeats(input: ReserveSeatsInput): Promise<SeatReservation> {
    const seatIds = [...new Set(input.seatIds)];
    if (seatIds.length === 0 || seatIds.length > MAX_SEATS_PER_RESERVATION) {
      throw new ConflictException(`Choose between 1 and ${MAX_SEATS_PER_RESERVATION} seats`);
    }

    return this.dataSource.transaction(async (manager) => {
      // SELECT ... FOR UPDATE: a second reservation for any of these seats waits
      // here until we commit, then sees them as reserved.
      const locked = await manager.getRepository(Seat).find({
        where: { id: In(seatIds), choirId: input.choirId, concertId: input.concertId },
        lock: { mode: 'pessimistic_write' },
        order: { id: 'ASC' },
      });

      if (locked.length !== seatIds.length) {
        throw new NotFoundException('Some of those seats are not in this concert');
      }
      const unavailable = locked.filter((s) => s.status !== SeatStatus.Available);
      if (unavailable.length > 0) {
        throw new ConflictException({
          message: 'Some seats have just been taken',
          seats: unavailable.map((s) => `${s.block}${s.row}-${s.number}`),
        });
      }

      const reservation = await manager.getRepository(SeatReservation).save({
        choirId: input.choirId,
        concertId: input.concertId,
        patronName: input.patronName,
        patronEmail: input.patronEmail,
        seatCount: seatIds.length,
      });

      await manager
        .getRepository(Seat)
        .update(
          { id: In(seatIds), choirId: input.choirId },
          { status: SeatStatus.Reserved, reservationId: reservation.id },
        );

      this.logger.log(
        `choir=${input.choirId} concert=${input.concertId} reserved ${seatIds.length} seats`,
      );
      return reservation;
    });
  }

  async releaseReservation(choirId: string, reservationId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .getRepository(SeatReservation)
        .delete({ id: reservationId, choirId });
      if (!result.affected) {
        throw new NotFoundException('Reservation not found');
      }
      await manager
        .getRepository(Seat)
        .update({ reservationId, choirId }, { status: SeatStatus.Available, reservationId: null });
    });
  }
}
