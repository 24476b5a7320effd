@Injectable()
export class WalletService {
  private readonly logger = new Logger(WalletService.name);

  constructor(private readonly prisma: PrismaService) {}

  /**
   * Debit a wallet. Safe under concurrent requests: the balance check and the decrement
   * are the same UPDATE, and requestId is unique on wallet_transactions so retries
   * from the mobile app can't debit twice.
   */
  async withdraw(userId: string, amountCents: number, requestId: string) {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const debit = await tx.wallet.updateMany({
          where: { userId, balanceCents: { gte: amountCents } },
          data: { balanceCents: { decrement: amountCents } },
        });
        if (debit.count === 0) {
          throw new UnprocessableEntityException('Insufficient funds');
        }
        return tx.walletTransaction.create({
          data: { userId, amountCents: -amountCents, kind: 'WITHDRAWAL', requestId },
        });
      });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        // replay of a request we already processed: return the original result
        return this.prisma.walletTransaction.findUniqueOrThrow({ where: { requestId } });
      }
      this.logger.error(`withdraw failed for user ${userId}`, (err as Error).stack);
      throw err;
    }
  }

  async transfer(fromUserId: string, toUserId: string, amountCents: number, requestId: string) {
    return this.prisma.$transaction(async (tx) => {
      const debit = await tx.wallet.updateMany({
        where: { userId: fromUserId, balanceCents: { gte: amountCents } },
        data: { balanceCents: { decrement: amountCents } },
      });
      if (debit.count === 0) throw new UnprocessableEntityException('Insufficient funds');

      await tx.wallet.update({
        where: { userId: toUserId },
        data: { balanceCents: { increment: amountCents } },
      });
      await tx.walletTransaction.createMany({
        data: [
          { userId: fromUserId, amountCents: -amountCents, kind: 'TRANSFER_OUT', requestId },
          { userId: toUserId, amountCents, kind: 'TRANSFER_IN', requestId: `${requestId}:in` },
        ],
      });
    });
  }

  getBalance(userId: string) {
    return this.prisma.wallet.findUniqueOrThrow({
      where: { userId },
      select: { balanceCents: true, currency: true, updatedAt: true },
    });
  }

  listTransactions(userId: string, cursor?: string, take = 50) {
    return this.prisma.walletTransaction.findMany({
      where: { userId },
      orderBy: { createdAt: 'desc' },
      take: Math.min(take, 100),
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
  }
}
