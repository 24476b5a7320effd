import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRedis } from '@nestjs-modules/ioredis';
import axios from 'axios';
import Redis from 'ioredis';
import { PrismaService } from '../prisma/prisma.service';
import { CreateBookingDto } from './dto/create-booking.dto';
import { buildAvailabilityGrid, AvailabilityGrid } from './availability-grid';

const AVAILABILITY_TTL_SECONDS = 60;
const HORIZON_DAYS = 14;

@Injectable()
export class BookingsService {
  private readonly logger = new Logger(BookingsService.name);

  private readonly payments = axios.create({
    baseURL: process.env.PAYMENTS_API_URL,
    headers: { Authorization: `Bearer ${process.env.PAYMENTS_API_KEY}` },
  });

  constructor(
    private readonly prisma: PrismaService,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  /**
   * Two-week availability grid for a venue, used by the public booking widget.
   * Building it takes ~1-2s for the big clubs (pricing rules + every booking in the horizon),
   * so it is cached in Redis for a minute.
   */
  async getAvailability(venueId: string): Promise<AvailabilityGrid> {
    const cacheKey = `availability:${venueId}`;
    const cached = await this.redis.get(cacheKey);
    if (cached) return JSON.parse(cached) as AvailabilityGrid;

    const from = new Date();
    const to = new Date(from.getTime() + HORIZON_DAYS * 24 * 60 * 60 * 1000);
    const [courts, bookings, pricingRules, closures] = await Promise.all([
      this.prisma.court.findMany({ where: { venueId, active: true } }),
      this.prisma.booking.findMany({
        where: { court: { venueId }, startsAt: { gte: from, lt: to }, status: { in: ['PENDING', 'CONFIRMED'] } },
        select: { courtId: true, startsAt: true, endsAt: true },
      }),
      this.prisma.pricingRule.findMany({ where: { venueId } }),
      this.prisma.closure.findMany({ where: { venueId, endsAt: { gte: from } } }),
    ]);

    const grid = buildAvailabilityGrid({ courts, bookings, pricingRules, closures, from, to });
    await this.redis.set(cacheKey, JSON.stringify(grid), 'EX', AVAILABILITY_TTL_SECONDS);
    return grid;
  }

  async createBooking(userId: string, dto: CreateBookingDto) {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(startsAt.getTime() + dto.durationMinutes * 60 * 1000);

    const court = await this.prisma.court.findUnique({ where: { id: dto.courtId } });
    if (!court || !court.active) throw new NotFoundException('Court not found');

    const overlapping = await this.prisma.booking.findFirst({
      where: {
        courtId: dto.courtId,
        status: { in: ['PENDING', 'CONFIRMED'] },
        startsAt: { lt: endsAt },
        endsAt: { gt: startsAt },
      },
    });
    if (overlapping) throw new ConflictException('This slot has just been taken');

    const priceCents = Math.round((court.hourlyPriceCents * dto.durationMinutes) / 60);
    const booking = await this.prisma.booking.create({
      data: { userId, courtId: court.id, startsAt, endsAt, priceCents, status: 'PENDING' },
    });

    const { data: intent } = await this.payments.post('/v1/payment_intents', {
      amount: priceCents,
      currency: 'eur',
      metadata: { bookingId: booking.id },
    });
    await this.prisma.booking.update({
      where: { id: booking.id },
      data: { paymentIntentId: intent.id },
    });

    await this.redis.del(`availability:${court.venueId}`);
    this.logger.log(`booking ${booking.id} created for court ${court.id}`);
    return { bookingId: booking.id, clientSecret: intent.client_secret };
  }

  async cancelBooking(userId: string, bookingId: string) {
    const { count } = await this.prisma.booking.updateMany({
      where: { id: bookingId, userId, status: { in: ['PENDING', 'CONFIRMED'] } },
      data: { status: 'CANCELLED', cancelledAt: new Date() },
    });
    if (count === 0) throw new NotFoundException('Booking not found or already cancelled');
  }
}
