// src/adoptions/adoptionsRepo.ts
// Ferret rescue network: several independent rescues share this platform,
// so every table is scoped by rescue_id and every query below takes it.
import type { Knex } from 'knex';

export interface FerretSummary {
  id: number;
  name: string;
  sex: 'jill' | 'hob';
  ageMonths: number;
  status: 'available' | 'reserved' | 'adopted';
  lastVetCheck: string | null;
}

export interface ApplicationRow {
  id: number;
  ferretId: number;
  applicantName: string;
  homeCheckDone: boolean;
  submittedAt: Date;
}

export class AdoptionsRepo {
  constructor(private readonly db: Knex) {}

  /** Available ferrets for one rescue, keyset-paginated by id. */
  async listAvailable(rescueId: number, afterId = 0, limit = 24): Promise<FerretSummary[]> {
    const pageSize = Math.min(Math.max(limit, 1), 60);
    const ferrets = await this.db('ferrets')
      .where({ rescue_id: rescueId, status: 'available' })
      .andWhere('id', '>', afterId)
      .orderBy('id')
      .limit(pageSize)
      .select('id', 'name', 'sex', 'age_months', 'status');

    if (ferrets.length === 0) return [];

    // One query for the latest vet check of every ferret on the page.
    const ids = ferrets.map((f) => f.id);
    const checks = await this.db('vet_checks')
      .where('rescue_id', rescueId)
      .whereIn('ferret_id', ids)
      .groupBy('ferret_id')
      .select('ferret_id')
      .max({ last_check: 'checked_on' });
    const lastCheck = new Map(checks.map((c) => [c.ferret_id, c.last_check]));

    return ferrets.map((f) => ({
      id: f.id,
      name: f.name,
      sex: f.sex,
      ageMonths: f.age_months,
      status: f.status,
      lastVetCheck: lastCheck.get(f.id) ?? null,
    }));
  }

  /** Applications waiting for a home check, oldest first, a page at a time. */
  async pendingApplications(rescueId: number, page = 0, pageSize = 20): Promise<ApplicationRow[]> {
    const size = Math.min(pageSize, 50);
    const rows = await this.db('adoption_applications as a')
      .join('ferrets as f', function () {
        this.on('f.id', '=', 'a.ferret_id').andOn('f.rescue_id', '=', 'a.rescue_id');
      })
      .where('a.rescue_id', rescueId)
      .andWhere('a.state', 'pending')
      .orderBy('a.submitted_at')
      .offset(page * size)
      .limit(size)
      .select('a.id', 'a.ferret_id', 'a.applicant_name', 'a.home_check_done', 'a.submitted_at');

    return rows.map((r) => ({
      id: r.id,
      ferretId: r.ferret_id,
      applicantName: r.applicant_name,
      homeCheckDone: r.home_check_done,
      submittedAt: r.submitted_at,
    }));
  }

  /** Reserve a ferret for an approved application, only if still available. */
  async reserveFerret(rescueId: number, ferretId: number, applicationId: number): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const updated = await trx('ferrets')
        .where({ id: ferretId, rescue_id: rescueId, status: 'available' })
        .update({ status: 'reserved', reserved_for: applicationId, updated_at: trx.fn.now() });
      if (updated === 0) return false;

      await trx('adoption_applications')
        .where({ id: applicationId, rescue_id: rescueId })
        .update({ state: 'approved' });
      return true;
    });
  }
}
