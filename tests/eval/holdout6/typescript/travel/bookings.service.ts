/**
 * Here's a production-ready BookingsService for the hotel booking module.
 *
 * Features:
 *  - Availability search with an in-memory cache (60s) to take load off the inventory DB
 *  - Temporary holds: a room is held for 15 minutes while the guest completes checkout
 *  - Confirmation inside a transaction, converting the hold into a booking
 *
 * Works with NestJS 10 + TypeORM 0.3 (PostgreSQL).
 */
import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Between, DataSource, Repository } from 'typeorm';
import { randomUUID } from 'crypto';
import { RoomNight } from './entities/room-night.entity';
import { Booking } from './entities/booking.entity';
import { HoldDto, SearchDto } from './dto';

const HOLD_MINUTES = 15;
const SEARCH_TTL_MS = 60_000;

export interface AvailabilityResult {
  roomTypeId: string;
  available: number;
  totalCents: number;
}

@Injectable()
export class BookingsService {
  private readonly logger = new Logger(BookingsService.name);
  private readonly searchCache = new Map<string, { at: number; results: AvailabilityResult[] }>();

  constructor(
    @InjectRepository(RoomNight) private readonly roomNights: Repository<RoomNight>,
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Search availability for a hotel and date range. */
  async search(dto: SearchDto): Promise<AvailabilityResult[]> {
    const key = `${dto.hotelId}|${dto.checkIn}|${dto.checkOut}|${dto.guests}`;
    const hit = this.searchCache.get(key);
    if (hit && Date.now() - hit.at < SEARCH_TTL_MS) {
      return hit.results;
    }

    const results: AvailabilityResult[] = await this.dataSource.query(
      `SELECT room_type_id AS "roomTypeId", min(available) AS available, sum(price_cents) AS "totalCents"
         FROM room_nights
        WHERE hotel_id = $1 AND night >= $2 AND night < $3 AND max_guests >= $4
        GROUP BY room_type_id
       HAVING count(*) = ($3::date - $2::date) AND min(available) > 0`,
      [dto.hotelId, dto.checkIn, dto.checkOut, dto.guests],
    );
    this.searchCache.set(key, { at: Date.now(), results });
    return results;
  }

  /** Hold one room of the given type for the guest while they pay. */
  async placeHold(userId: string, dto: HoldDto): Promise<{ holdId: string; expiresInMinutes: number }> {
    const nights = await this.roomNights.find({
      where: { roomTypeId: dto.roomTypeId, night: Between(dto.checkIn, dto.lastNight) },
    });
    if (nights.length !== dto.nightCount || nights.some((n) => n.available < 1)) {
      throw new ConflictException('This room is no longer available for the selected dates');
    }

    await this.roomNights.decrement(
      { roomTypeId: dto.roomTypeId, night: Between(dto.checkIn, dto.lastNight) },
      'available',
      1,
    );

    const holdId = randomUUID();
    await this.dataSource.query(
      `INSERT INTO booking_holds (id, user_id, room_type_id, check_in, check_out, status, hold_until) VALUES ($1, $2, $3, $4, $5, 'active', now() + interval '${HOLD_MINUTES} minutes')`,
      [holdId, userId, dto.roomTypeId, dto.checkIn, dto.checkOut],
    );
    this.logger.log(`hold ${holdId} placed for user ${userId}`);
    return { holdId, expiresInMinutes: HOLD_MINUTES };
  }

  /** Convert a still-valid hold into a confirmed booking after payment succeeded. */
  async confirm(userId: string, holdId: string, paymentIntentId: string): Promise<Booking> {
    return this.dataSource.transaction(async (em) => {
      const [hold] = await em.query(
        `SELECT * FROM booking_holds
          WHERE id = $1 AND user_id = $2 AND status = 'active' AND hold_until > now()
          FOR UPDATE`,
        [holdId, userId],
      );
      if (!hold) throw new NotFoundException('Hold expired or not found');

      const booking = em.create(Booking, {
        userId,
        roomTypeId: hold.room_type_id,
        checkIn: hold.check_in,
        checkOut: hold.check_out,
        paymentIntentId,
        status: 'confirmed',
      });
      await em.save(booking);
      await em.query(`UPDATE booking_holds SET status = 'converted' WHERE id = $1`, [holdId]);
      return booking;
    });
  }
}
