// src/ticketing/ticket.repository.ts — film festival ticketing
import { Injectable, ConflictException, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { Film } from '../films/film.entity';
import { Screening } from '../screenings/screening.entity';
import { Ticket } from './ticket.entity';

@Injectable()
export class TicketRepository {
  // Films are the festival's public catalogue (no per-org data); ~300 titles a year.
  private readonly filmCache = new LRUCache<string, Film>({ max: 1000, ttl: 5 * 60_000 });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async film(id: string): Promise<Film> {
    const cached = this.filmCache.get(id);
    if (cached) return cached;
    const film = await this.dataSource.getRepository(Film).findOne({ where: { id } });
    if (!film) throw new NotFoundException('film not found');
    this.filmCache.set(id, film);
    return film;
  }

  /**
   * General-admission purchase: lock the screening row, check capacity, then
   * write. The FOR UPDATE lock serialises concurrent buyers for one screening.
   */
  async purchase(screeningId: string, patronId: string, quantity: number): Promise<Ticket[]> {
    return this.dataSource.transaction(async (manager) => {
      const screening = await manager.findOne(Screening, {
        where: { id: screeningId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!screening) throw new NotFoundException('screening not found');
      if (screening.seatsSold + quantity > screening.capacity) {
        throw new ConflictException(`only ${screening.capacity - screening.seatsSold} seats left`);
      }

      screening.seatsSold += quantity;
      await manager.save(screening);

      const tickets = Array.from({ length: quantity }, () =>
        manager.create(Ticket, { screeningId, patronId, status: 'issued' }),
      );
      return manager.save(tickets);
    });
  }

  /** Press/pass-holder vouchers are single use; the unique index does the work. */
  async redeemVoucher(code: string, patronId: string, screeningId: string): Promise<boolean> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO voucher_redemptions (voucher_code, patron_id, screening_id)
       VALUES ($1, $2, $3)
       ON CONFLICT (voucher_code) DO NOTHING
       RETURNING id`,
      [code, patronId, screeningId],
    );
    return rows.length === 1;
  }
}
