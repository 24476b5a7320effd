import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Loan } from './entities/loan.entity';
import { Payment } from './entities/payment.entity';

export interface ApplyPaymentDto {
  servicerId: string;
  loanId: string;
  amountCents: number;
  source: 'ACH' | 'CARD' | 'EMPLOYER';
}

@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    @InjectRepository(Loan) private readonly loans: Repository<Loan>,
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
  ) {}

  /**
   * Applies a borrower payment: interest first, then principal.
   */
  async applyPayment(dto: ApplyPaymentDto): Promise<Payment> {
    const loan = await this.loans.findOneBy({ id: dto.loanId, servicerId: dto.servicerId });
    if (!loan) throw new NotFoundException('loan not found');

    const toInterest = Math.min(dto.amountCents, loan.accruedInterestCents);
    const toPrincipal = dto.amountCents - toInterest;

    loan.accruedInterestCents -= toInterest;
    loan.principalCents = Math.max(0, loan.principalCents - toPrincipal);
    loan.lastPaymentAt = new Date();
    if (loan.principalCents === 0 && loan.accruedInterestCents === 0) {
      loan.status = 'PAID_IN_FULL';
    }
    await this.loans.save(loan);

    const payment = await this.payments.save(
      this.payments.create({
        loanId: loan.id,
        servicerId: dto.servicerId,
        amountCents: dto.amountCents,
        interestCents: toInterest,
        principalCents: toPrincipal,
        source: dto.source,
      }),
    );

    if (loan.status === 'PAID_IN_FULL') {
      await this.reportPaidInFull(loan);
    }
    return payment;
  }

  async history(servicerId: string, loanId: string, page = 0) {
    return this.payments.find({
      where: { servicerId, loanId },
      order: { createdAt: 'DESC' },
      take: 50,
      skip: page * 50,
    });
  }

  // Metro 2 "paid in full" update to the credit bureau gateway
  private async reportPaidInFull(loan: Loan): Promise<void> {
    try {
      const res = await fetch(`${process.env.BUREAU_GATEWAY_URL}/accounts/${loan.bureauAccountId}/status`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.BUREAU_TOKEN}` },
        body: JSON.stringify({ statusCode: '13', balance: 0, dateClosed: new Date().toISOString() }),
      });
      if (!res.ok) {
        this.logger.warn(`bureau returned ${res.status} for loan ${loan.id}`);
      }
    } catch {
      // bureau gateway is flaky, not worth failing the payment over
    }
  }
}
