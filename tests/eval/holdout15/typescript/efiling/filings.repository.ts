// packages/efile-core/src/filings/filings.repository.ts
// Law firms are tenants (firm_id on filings, filing_documents, service_contacts).
// Courts and case types are shared reference data (no tenant column).

import type { Pool } from 'pg';

export interface FilingRow {
  id: string;
  firm_id: string;
  court_id: string;
  case_number: string | null;
  filing_type: string;
  status: 'draft' | 'submitted' | 'accepted' | 'rejected';
  submitted_at: Date | null;
}

export interface CourtRow {
  id: string;
  name: string;
  efm_endpoint: string;
  accepts_eservice: boolean;
}

export class FilingsRepository {
  constructor(private readonly db: Pool) {}

  async getById(firmId: string, filingId: string): Promise<FilingRow | null> {
    const { rows } = await this.db.query<FilingRow>(
      'SELECT * FROM filings WHERE id = $1 AND firm_id = $2',
      [filingId, firmId],
    );
    return rows[0] ?? null;
  }

  async listForFirm(firmId: string, opts: { status?: string; before?: Date; limit: number }): Promise<FilingRow[]> {
    const { rows } = await this.db.query<FilingRow>(
      `SELECT * FROM filings
        WHERE firm_id = $1
          AND ($2::text IS NULL OR status = $2)
          AND created_at < COALESCE($3, now())
        ORDER BY created_at DESC
        LIMIT $4`,
      [firmId, opts.status ?? null, opts.before ?? null, Math.min(opts.limit, 100)],
    );
    return rows;
  }

  async documentsFor(firmId: string, filingIds: string[]) {
    if (filingIds.length === 0) return [];
    const { rows } = await this.db.query(
      `SELECT id, filing_id, title, page_count, sha256
         FROM filing_documents
        WHERE firm_id = $1 AND filing_id = ANY($2::uuid[])`,
      [firmId, filingIds],
    );
    return rows;
  }

  // courts are global reference data - no firm scoping
  async getCourt(courtId: string): Promise<CourtRow | null> {
    const { rows } = await this.db.query<CourtRow>(
      'SELECT id, name, efm_endpoint, accepts_eservice FROM courts WHERE id = $1',
      [courtId],
    );
    return rows[0] ?? null;
  }

  async markSubmitted(firmId: string, filingId: string, envelopeId: string): Promise<boolean> {
    const res = await this.db.query(
      `UPDATE filings SET status = 'submitted', envelope_id = $3, submitted_at = now()
        WHERE id = $1 AND firm_id = $2 AND status = 'draft'`,
      [filingId, firmId, envelopeId],
    );
    return res.rowCount === 1;
  }
}

// --- filing fee schedule: loaded once at boot from the state's published table ---
const feeSchedule = new Map<string, number>(); // `${courtId}:${filingType}` -> cents

export async function loadFeeSchedule(db: Pool): Promise<void> {
  const { rows } = await db.query('SELECT court_id, filing_type, fee_cents FROM filing_fees WHERE effective_to IS NULL');
  for (const r of rows) feeSchedule.set(`${r.court_id}:${r.filing_type}`, r.fee_cents);
}

export function feeFor(courtId: string, filingType: string): number | undefined {
  return feeSchedule.get(`${courtId}:${filingType}`);
}
