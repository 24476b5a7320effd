import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, OptimisticLockVersionMismatchError } from 'typeorm';
import { Loan } from './entities/loan.entity';
import { LedgerEntry } from './entities/ledger-entry.entity';
import { RepaymentPlan } from './entities/repayment-plan.entity';

export class InsufficientBalanceError extends Error {}

@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Post a disbursement reversal / payment against a loan. The loan row is locked
   * (SELECT ... FOR UPDATE) for the whole transaction, so concurrent postings queue up.
   */
  async post(servicerId: string, loanId: string, deltaCents: number, memo: string): Promise<LedgerEntry> {
    return this.dataSource.transaction(async (em: EntityManager) => {
      const loan = await em.findOne(Loan, {
        where: { id: loanId, servicerId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!loan) throw new Error(`loan ${loanId} not found`);

      const newBalance = loan.principalCents + deltaCents;
      if (newBalance < 0) throw new InsufficientBalanceError();

      loan.principalCents = newBalance;
      await em.save(loan);

      return em.save(
        em.create(LedgerEntry, { loanId, servicerId, deltaCents, balanceAfterCents: newBalance, memo }),
      );
    });
  }

  /** Counts an on-time autopay; single UPDATE ... SET on_time_count = on_time_count + 1. */
  async recordOnTimeAutopay(servicerId: string, loanId: string): Promise<void> {
    await this.dataSource.getRepository(Loan).increment({ id: loanId, servicerId }, 'onTimePaymentCount', 1);
  }

  /**
   * Change the repayment plan (IDR, standard, graduated). RepaymentPlan has a
   * @VersionColumn, so a concurrent edit makes save() fail instead of overwriting.
   */
  async switchPlan(servicerId: string, planId: string, expectedVersion: number, planType: RepaymentPlan['planType']) {
    const repo = this.dataSource.getRepository(RepaymentPlan);
    const result = await repo
      .createQueryBuilder()
      .update(RepaymentPlan)
      .set({ planType, version: () => 'version + 1' })
      .where('id = :planId AND servicer_id = :servicerId AND version = :expectedVersion', {
        planId,
        servicerId,
        expectedVersion,
      })
      .execute();
    if (result.affected !== 1) {
      throw new OptimisticLockVersionMismatchError('RepaymentPlan', expectedVersion, -1);
    }
  }

  async statement(servicerId: string, loanId: string, cursor?: Date) {
    const qb = this.dataSource
      .getRepository(LedgerEntry)
      .createQueryBuilder('e')
      .where('e.loan_id = :loanId AND e.servicer_id = :servicerId', { loanId, servicerId })
      .orderBy('e.created_at', 'DESC')
      .take(100);
    if (cursor) qb.andWhere('e.created_at < :cursor', { cursor });
    return qb.getMany();
  }
}
