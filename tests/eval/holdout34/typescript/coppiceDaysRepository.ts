// src/repositories/coppiceDaysRepository.ts
// Woodland groups (tenants) schedule coppicing days; volunteers reserve a place.
// node-postgres with the process-wide pool from ../db/pool.

import type { Pool, PoolClient } from "pg";
import { pool } from "../db/pool";

export interface CoppiceDay {
  id: number;
  groupId: number;
  startsOn: string;
  compartment: string; // which coupe of hazel/chestnut is being cut this winter
  capacity: number;
  placesTaken: number;
}

export type ReserveResult = "reserved" | "already-reserved" | "full";

export class CoppiceDaysRepository {
  constructor(private readonly db: Pool = pool) {}

  async upcoming(groupId: number, after: string | null, limit = 20): Promise<CoppiceDay[]> {
    const { rows } = await this.db.query<CoppiceDay>(
      `SELECT id, group_id AS "groupId", starts_on AS "startsOn", compartment,
              capacity, places_taken AS "placesTaken"
         FROM coppice_days
        WHERE group_id = $1 AND starts_on >= COALESCE($2::date, current_date)
        ORDER BY starts_on, id
        LIMIT $3`,
      [groupId, after, Math.min(limit, 100)]
    );
    return rows;
  }

  /** Which of these days has the volunteer already reserved? One round trip. */
  async reservedDayIds(groupId: number, volunteerId: number, dayIds: number[]): Promise<Set<number>> {
    if (dayIds.length === 0) return new Set();
    const { rows } = await this.db.query<{ day_id: number }>(
      `SELECT r.day_id
         FROM coppice_reservations r
         JOIN coppice_days d ON d.id = r.day_id
        WHERE d.group_id = $1 AND r.volunteer_id = $2 AND r.day_id = ANY($3::int[])`,
      [groupId, volunteerId, dayIds]
    );
    return new Set(rows.map((r) => r.day_id));
  }

  /**
   * Reserve a place. The capacity check and the increment are one UPDATE, and
   * the reservation row is protected by unique (day_id, volunteer_id).
   */
  async reserve(groupId: number, dayId: number, volunteerId: number): Promise<ReserveResult> {
    const client: PoolClient = await this.db.connect();
    try {
      await client.query("BEGIN");

      const inserted = await client.query(
        `INSERT INTO coppice_reservations (day_id, volunteer_id)
         SELECT id, $3 FROM coppice_days WHERE id = $2 AND group_id = $1
         ON CONFLICT (day_id, volunteer_id) DO NOTHING`,
        [groupId, dayId, volunteerId]
      );
      if (inserted.rowCount === 0) {
        await client.query("ROLLBACK");
        return "already-reserved";
      }

      const bumped = await client.query(
        `UPDATE coppice_days
            SET places_taken = places_taken + 1
          WHERE id = $1 AND group_id = $2 AND places_taken < capacity`,
        [dayId, groupId]
      );
      if (bumped.rowCount === 0) {
        await client.query("ROLLBACK");
        return "full";
      }

      await client.query("COMMIT");
      return "reserved";
    } catch (err) {
      await client.query("ROLLBACK");
      throw err;
    } finally {
      client.release();
    }
  }
}
