import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';

export interface ClaimantDashboard {
  openClaims: number;
  pendingPayoutCents: number;
  lastUpdateAt: string | null;
  nextActions: { claimId: string; action: string }[];
}

/**
 * Per-claimant dashboard for the policyholder portal.
 *
 * The data is specific to each policyholder, so the cache is keyed by user id.
 * Bounded LRU (10k entries, 60 s TTL) and a single-flight map so a burst of
 * page loads from the same user triggers one query, not ten.
 */
@Injectable()
export class ClaimantDashboardService {
  private readonly logger = new Logger(ClaimantDashboardService.name);
  private readonly cache = new LRUCache<string, ClaimantDashboard>({ max: 10_000, ttl: 60_000 });
  private readonly inflight = new Map<string, Promise<ClaimantDashboard>>();

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async forUser(orgId: string, userId: string): Promise<ClaimantDashboard> {
    const key = `dash:${orgId}:${userId}`;
    const hit = this.cache.get(key);
    if (hit) return hit;

    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.load(orgId, userId)
        .then((d) => {
          this.cache.set(key, d);
          return d;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  invalidate(orgId: string, userId: string) {
    this.cache.delete(`dash:${orgId}:${userId}`);
  }

  private async load(orgId: string, userId: string): Promise<ClaimantDashboard> {
    try {
      const [summary] = await this.ds.query(
        `SELECT count(*) FILTER (WHERE status IN ('open','in_review'))::int AS open_claims,
                coalesce(sum(amount_approved_cents) FILTER (WHERE status = 'approved'), 0)::bigint AS pending_payout,
                max(updated_at) AS last_update
           FROM claims
          WHERE org_id = $1 AND claimant_user_id = $2`,
        [orgId, userId],
      );
      const actions = await this.ds.query(
        `SELECT claim_id, action FROM claim_tasks
          WHERE org_id = $1 AND assignee_user_id = $2 AND done_at IS NULL
          ORDER BY due_at
          LIMIT 20`,
        [orgId, userId],
      );
      return {
        openClaims: summary.open_claims,
        pendingPayoutCents: Number(summary.pending_payout),
        lastUpdateAt: summary.last_update,
        nextActions: actions.map((a: any) => ({ claimId: a.claim_id, action: a.action })),
      };
    } catch (err) {
      this.logger.error(`dashboard load failed for user ${userId}`, (err as Error).stack);
      throw err;
    }
  }
}
