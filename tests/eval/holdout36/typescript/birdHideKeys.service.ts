// hides/hide-keys.service.ts
// Estuary birdwatch hides are locked outside wardened hours. Permit holders check out the
// lockbox code for a hide from the app and return it when they leave.
// Deployed as the `hides-api` Deployment (replicas: 3) behind the reserve's ingress.
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InjectRedis } from '@nestjs-modules/ioredis';
import Redis from 'ioredis';

interface KeyCheckout {
  hideId: string;
  permitHolderId: string;
  lockboxCode: string;
  returnBy: number;
}

export interface SightingsSummaryRow {
  species: string;
  hide: string;
  sightings: number;
  peakCount: number;
  lastSeen: string;
}

const CHECKOUT_MINUTES = 180;
const SUMMARY_TTL_SECONDS = 60;

@Injectable()
export class HideKeysService {
  private readonly checkouts = new Map<string, KeyCheckout>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async checkOut(reserveId: string, hideId: string, permitHolderId: string): Promise<KeyCheckout> {
    const [hide] = await this.db.query(
      'SELECT id, lockbox_code FROM hides WHERE id = $1 AND reserve_id = $2 AND open_to_permit_holders',
      [hideId, reserveId],
    );
    if (!hide) throw new NotFoundException('hide not found');

    const current = this.checkouts.get(hideId);
    if (current && current.returnBy > Date.now() && current.permitHolderId !== permitHolderId) {
      throw new ConflictException('key for this hide is already checked out');
    }

    const checkout: KeyCheckout = {
      hideId,
      permitHolderId,
      lockboxCode: hide.lockbox_code,
      returnBy: Date.now() + CHECKOUT_MINUTES * 60_000,
    };
    this.checkouts.set(hideId, checkout);
    return checkout;
  }

  returnKey(hideId: string, permitHolderId: string): void {
    const current = this.checkouts.get(hideId);
    if (current?.permitHolderId === permitHolderId) {
      this.checkouts.delete(hideId);
    }
  }

  whoHasKey(hideId: string): KeyCheckout | undefined {
    const current = this.checkouts.get(hideId);
    return current && current.returnBy > Date.now() ? current : undefined;
  }

  // Shown on the reserve's landing page: what has been seen from which hide in the
  // last 30 days. The query scans the whole sightings table for the reserve (~6-8 s in
  // spring passage), so the result is cached briefly.
  async sightingsSummary(reserveId: string): Promise<SightingsSummaryRow[]> {
    const cacheKey = `hides:summary:${reserveId}`;
    const cached = await this.redis.get(cacheKey);
    if (cached) return JSON.parse(cached) as SightingsSummaryRow[];

    const rows: SightingsSummaryRow[] = await this.db.query(
      `SELECT sp.common_name AS species, h.name AS hide,
              count(*)::int AS sightings,
              max(s.head_count)::int AS "peakCount",
              max(s.seen_at) AS "lastSeen"
         FROM sightings s
         JOIN hides h ON h.id = s.hide_id
         JOIN species sp ON sp.id = s.species_id
        WHERE h.reserve_id = $1
          AND s.seen_at > now() - interval '30 days'
        GROUP BY sp.common_name, h.name
        ORDER BY sightings DESC
        LIMIT 200`,
      [reserveId],
    );

    await this.redis.set(cacheKey, JSON.stringify(rows), 'EX', SUMMARY_TTL_SECONDS);
    return rows;
  }
}
