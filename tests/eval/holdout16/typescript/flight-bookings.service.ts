// src/bookings/flight-bookings.service.ts
import { Injectable, NotFoundException, ConflictException, Inject } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, MoreThan } from 'typeorm';
import { firstValueFrom } from 'rxjs';
import Redis from 'ioredis';
import { BalloonFlight } from './entities/balloon-flight.entity';
import { Booking } from './entities/booking.entity';

// bookings.module.ts registers the HTTP client once for the whole module:
//   HttpModule.register({ baseURL: process.env.WINDS_ALOFT_URL, timeout: 4000, maxRedirects: 2 })

@Injectable()
export class FlightBookingsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(BalloonFlight) private readonly flights: Repository<BalloonFlight>,
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly http: HttpService,
    @Inject('REDIS') private readonly redis: Redis,
  ) {}

  /** Upcoming flights that still have baskets free, 50 per page. */
  listUpcoming(page = 1) {
    return this.flights.find({
      where: { launchAt: MoreThan(new Date()), seatsLeft: MoreThan(0), cancelled: false },
      order: { launchAt: 'ASC' },
      take: 50,
      skip: (Math.max(page, 1) - 1) * 50,
    });
  }

  /**
   * Book `seats` passengers on a flight. The flight row is locked for the
   * duration of the transaction, so the seat check and the decrement can't
   * interleave with another booking.
   */
  async book(flightId: string, userId: string, seats: number): Promise<Booking> {
    const booking = await this.dataSource.transaction(async (manager) => {
      const flight = await manager
        .getRepository(BalloonFlight)
        .createQueryBuilder('f')
        .setLock('pessimistic_write')
        .where('f.id = :flightId', { flightId })
        .getOne();

      if (!flight || flight.cancelled) throw new NotFoundException('flight not found');
      if (flight.seatsLeft < seats) throw new ConflictException(`only ${flight.seatsLeft} seats left`);

      flight.seatsLeft -= seats;
      await manager.save(flight);

      return manager.save(manager.create(Booking, { flightId, userId, seats, status: 'confirmed' }));
    });

    await this.redis.del(`my-bookings:${userId}`);
    return booking;
  }

  /** The signed-in passenger's own bookings (genuinely per user), cached briefly. */
  async myBookings(userId: string) {
    const key = `my-bookings:${userId}`;
    const hit = await this.redis.get(key);
    if (hit) return JSON.parse(hit);

    const rows = await this.bookings.find({
      where: { userId },
      relations: { flight: true },
      order: { createdAt: 'DESC' },
      take: 20,
    });
    await this.redis.set(key, JSON.stringify(rows), 'EX', 120);
    return rows;
  }

  /** Pilot briefing: winds aloft at the launch site. Timeout comes from HttpModule config. */
  async windsAloft(launchSiteId: string) {
    const { data } = await firstValueFrom(
      this.http.get(`/sites/${encodeURIComponent(launchSiteId)}/winds`, { params: { levels: '1000,3000' } }),
    );
    return data;
  }
}
