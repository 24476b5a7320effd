// src/rentals/fitting-holds.repository.ts
// Violin rental fleet: before a pupil rents, a teacher can hold a specific
// instrument (size 1/2, 3/4, 4/4 ...) for 48 hours so it can be tried at a
// fitting appointment. A hold blocks the instrument from the online catalogue.

import { DataSource, EntityManager } from "typeorm";

export const HOLD_HOURS = 48;

export interface AvailableInstrument {
  id: number;
  size: string;
  maker: string;
  monthlyCents: number;
}

export class FittingHoldsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async placeHold(instrumentId: number, teacherId: number, pupilName: string): Promise<number | null> {
    return this.dataSource.transaction(async (em: EntityManager) => {
      // Serialise holds on the same instrument.
      const [instrument] = await em.query(
        `SELECT id, status FROM instruments WHERE id = $1 FOR UPDATE`,
        [instrumentId],
      );
      if (!instrument || instrument.status !== "IN_STOCK") return null;

      const [active] = await em.query(
        `SELECT id FROM fitting_holds
          WHERE instrument_id = $1 AND converted_at IS NULL AND expires_at > now()
          LIMIT 1`,
        [instrumentId],
      );
      if (active) return null;

      const [hold] = await em.query(
        `INSERT INTO fitting_holds (instrument_id, teacher_id, pupil_name, created_at, expires_at)
         VALUES ($1, $2, $3, now(), now() + make_interval(hours => $4))
         RETURNING id`,
        [instrumentId, teacherId, pupilName, HOLD_HOURS],
      );
      return hold.id as number;
    });
  }

  /** Catalogue page: in-stock instruments of a size with no live hold. */
  async available(shopId: number, size: string, page = 0, pageSize = 24): Promise<AvailableInstrument[]> {
    return this.dataSource.query(
      `SELECT i.id, i.size, i.maker, i.monthly_cents AS "monthlyCents"
         FROM instruments i
        WHERE i.shop_id = $1 AND i.size = $2 AND i.status = 'IN_STOCK'
          AND NOT EXISTS (
                SELECT 1 FROM fitting_holds h
                 WHERE h.instrument_id = i.id
                   AND h.converted_at IS NULL
                   AND h.expires_at > now())
        ORDER BY i.maker, i.id
        LIMIT $3 OFFSET $4`,
      [shopId, size, Math.min(pageSize, 60), page * Math.min(pageSize, 60)],
    );
  }

  /** Teacher's current holds, shown on their dashboard. */
  async activeForTeacher(teacherId: number) {
    return this.dataSource.query(
      `SELECT h.id, h.pupil_name, h.expires_at, i.size, i.maker
         FROM fitting_holds h
         JOIN instruments i ON i.id = h.instrument_id
        WHERE h.teacher_id = $1 AND h.converted_at IS NULL AND h.expires_at > now()
        ORDER BY h.expires_at
        LIMIT 50`,
      [teacherId],
    );
  }

  /** Fitting went well: the hold becomes a rental agreement. */
  async convert(holdId: number, teacherId: number): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE fitting_holds SET converted_at = now()
        WHERE id = $1 AND teacher_id = $2 AND converted_at IS NULL AND expires_at > now()`,
      [holdId, teacherId],
    );
    return (result?.[1] ?? 0) === 1;
  }
}
