// src/moorings/moorings.repository.ts
// Data access for harbour moorings: seasonal allocations, vacancy listing and
// short-lived offers to boats on the waiting list. Every harbour is a tenant.
import type { Pool } from 'pg';

export interface Mooring {
  id: number;
  label: string;
  maxLoaM: number;
  maxDraughtM: number;
}

export interface VacancyPage {
  items: Mooring[];
  nextAfter: string | null;
}

const OFFER_HOURS = 72;

export class MooringsRepository {
  constructor(private readonly pool: Pool) {}

  async findByIds(harbourId: string, ids: number[]): Promise<Mooring[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query(
      `SELECT id, label, max_loa_m AS "maxLoaM", max_draught_m AS "maxDraughtM"
         FROM moorings
        WHERE harbour_id = $1 AND id = ANY($2::int[])`,
      [harbourId, ids],
    );
    return rows;
  }

  async listVacant(harbourId: string, season: number, opts: { after?: string; limit?: number } = {}): Promise<VacancyPage> {
    const limit = Math.min(opts.limit ?? 50, 200);
    const { rows } = await this.pool.query(
      `SELECT m.id, m.label, m.max_loa_m AS "maxLoaM", m.max_draught_m AS "maxDraughtM"
         FROM moorings m
        WHERE m.harbour_id = $1
          AND m.label > coalesce($3, '')
          AND NOT EXISTS (SELECT 1 FROM mooring_allocations a
                           WHERE a.harbour_id = m.harbour_id AND a.mooring_id = m.id AND a.season = $2)
        ORDER BY m.label
        LIMIT $4`,
      [harbourId, season, opts.after ?? null, limit],
    );
    return { items: rows, nextAfter: rows.length === limit ? rows[rows.length - 1].label : null };
  }

  /** Returns the allocation id, or null when the mooring is already taken for that season. */
  async allocate(harbourId: string, mooringId: number, season: number, vesselId: string): Promise<number | null> {
    const { rows } = await this.pool.query(
      `INSERT INTO mooring_allocations (harbour_id, mooring_id, season, vessel_id)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (harbour_id, mooring_id, season) DO NOTHING
       RETURNING id`,
      [harbourId, mooringId, season, vesselId],
    );
    return rows[0]?.id ?? null;
  }

  async createOffer(harbourId: string, mooringId: number, waitingListEntryId: string): Promise<string> {
    const { rows } = await this.pool.query(
      `INSERT INTO mooring_offers (harbour_id, mooring_id, waiting_list_entry_id, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(hours => $4))
       ON CONFLICT (harbour_id, mooring_id) DO UPDATE
          SET waiting_list_entry_id = EXCLUDED.waiting_list_entry_id,
              expires_at = EXCLUDED.expires_at
        WHERE mooring_offers.expires_at < now()
       RETURNING id`,
      [harbourId, mooringId, waitingListEntryId, OFFER_HOURS],
    );
    if (rows.length === 0) throw new Error('mooring already has an open offer');
    return rows[0].id;
  }

  /** Called hourly by the scheduler; removes offers nobody accepted in time. */
  async deleteExpiredOffers(batchSize = 500): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM mooring_offers
        WHERE id IN (SELECT id FROM mooring_offers WHERE expires_at < now() LIMIT $1)`,
      [batchSize],
    );
    return rowCount ?? 0;
  }
}
