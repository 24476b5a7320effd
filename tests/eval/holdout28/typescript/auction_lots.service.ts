import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';

export interface LotSummary {
  id: number;
  title: string;
  penCount: number;
  stoneType: string;
  currentBid: number;
  closesAt: Date;
}

/**
 * Online auction of reclaimed dry-stone sheep pens (sold as numbered lots, dismantled and
 * rebuilt by the buyer's waller). Each livestock mart runs its own sales: martId is the tenant.
 */
@Injectable()
export class AuctionLotsService {
  private static readonly MIN_INCREMENT = 5;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async openLots(martId: number, saleId: number, afterId = 0): Promise<LotSummary[]> {
    const { rows } = await this.pool.query<LotSummary>(
      `SELECT id, title, pen_count AS "penCount", stone_type AS "stoneType",
              current_bid AS "currentBid", closes_at AS "closesAt"
         FROM auction_lots
        WHERE mart_id = $1 AND sale_id = $2 AND closes_at > now() AND id > $3
        ORDER BY id
        LIMIT 40`,
      [martId, saleId, afterId],
    );
    return rows;
  }

  /**
   * Place a bid. The conditional UPDATE is the whole check: it only matches when the lot is
   * still open and the new amount beats the current bid by the increment, so two bidders at
   * the same moment cannot both win.
   */
  async placeBid(martId: number, lotId: number, bidderId: number, amount: number) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const updated = await client.query<{ id: number; current_bid: number }>(
        `UPDATE auction_lots
            SET current_bid = $1, leading_bidder_id = $2, bid_count = bid_count + 1
          WHERE id = $3
            AND mart_id = $4
            AND closes_at > now()
            AND $1 >= current_bid + $5
          RETURNING id, current_bid`,
        [amount, bidderId, lotId, martId, AuctionLotsService.MIN_INCREMENT],
      );

      if (updated.rowCount === 0) {
        await client.query('ROLLBACK');
        const exists = await this.pool.query(
          'SELECT 1 FROM auction_lots WHERE id = $1 AND mart_id = $2',
          [lotId, martId],
        );
        if (exists.rowCount === 0) throw new NotFoundException('Lot not found');
        throw new ConflictException('Bid too low or lot closed');
      }

      await client.query(
        `INSERT INTO auction_bids (lot_id, mart_id, bidder_id, amount, placed_at)
         VALUES ($1, $2, $3, $4, now())`,
        [lotId, martId, bidderId, amount],
      );
      await client.query('COMMIT');
      return { lotId, currentBid: updated.rows[0].current_bid };
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }
}
