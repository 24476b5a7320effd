import { BadRequestException, Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

@Injectable()
export class WalletService {
  constructor(private readonly prisma: PrismaService) {}

  async redeemPoints(userId: string, points: number) {
    const account = await this.prisma.loyaltyAccount.findUniqueOrThrow({ where: { userId } });
    if (account.points < points) {
      throw new BadRequestException('not enough points');
    }
    return this.prisma.loyaltyAccount.update({
      where: { userId },
      data: { points: account.points - points },
    });
  }

  async earnPoints(userId: string, points: number) {
    return this.prisma.loyaltyAccount.update({
      where: { userId },
      data: { points: { increment: points } },
    });
  }

  async spendCredit(userId: string, amount: number) {
    const { count } = await this.prisma.creditAccount.updateMany({
      where: { userId, balance: { gte: amount } },
      data: { balance: { decrement: amount } },
    });
    if (count === 0) throw new BadRequestException('insufficient credit');
  }
}
