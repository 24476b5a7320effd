// Good catch — in the previous version `reserve()` loaded the branch's
// `availableCount`, checked it in TypeScript and then wrote `availableCount - 1`,
// so two customers could book the last compact at the same time. Here's a fixed,
// production-ready NestJS service. The availability check and the decrement are a
// single conditional `updateMany`, and we only create the reservation if exactly
// one row was updated, all inside one transaction.

import { BadRequestException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { PrismaService } from '../prisma/prisma.service';

export interface ReserveInput {
  customerId: string;
  branchId: string;
  vehicleClassId: string;
  pickupAt: Date;
  returnAt: Date;
}

@Injectable()
export class ReservationsService {
  private readonly logger = new Logger(ReservationsService.name);

  constructor(private readonly prisma: PrismaService) {}

  async reserve(input: ReserveInput) {
    if (input.returnAt <= input.pickupAt) {
      throw new BadRequestException('Return must be after pickup');
    }

    try {
      return await this.prisma.$transaction(async (tx) => {
        const { count } = await tx.branchFleet.updateMany({
          where: {
            branchId: input.branchId,
            vehicleClassId: input.vehicleClassId,
            availableCount: { gt: 0 },
          },
          data: { availableCount: { decrement: 1 } },
        });

        if (count !== 1) {
          throw new ConflictException('No vehicles of this class left at this branch');
        }

        return tx.reservation.create({
          data: {
            customerId: input.customerId,
            branchId: input.branchId,
            vehicleClassId: input.vehicleClassId,
            pickupAt: input.pickupAt,
            returnAt: input.returnAt,
            status: 'CONFIRMED',
          },
        });
      });
    } catch (err) {
      if (err instanceof ConflictException) throw err;
      this.logger.error(`reserve failed for customer ${input.customerId}`, (err as Error).stack);
      throw err;
    }
  }

  /**
   * Customer's upcoming reservations with branch + class details.
   * `include` makes Prisma fetch related rows in batched queries instead of one per reservation.
   */
  async listForCustomer(customerId: string, cursor?: string) {
    return this.prisma.reservation.findMany({
      where: { customerId, returnAt: { gte: new Date() } },
      include: {
        branch: { select: { name: true, address: true, phone: true } },
        vehicleClass: { select: { code: true, label: true, seats: true } },
      },
      orderBy: { pickupAt: 'asc' },
      take: 20,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
  }

  async cancel(customerId: string, reservationId: string) {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.reservation.updateMany({
        where: { id: reservationId, customerId, status: 'CONFIRMED' },
        data: { status: 'CANCELLED', cancelledAt: new Date() },
      });
      if (count !== 1) throw new ConflictException('Reservation cannot be cancelled');

      const r = await tx.reservation.findUniqueOrThrow({ where: { id: reservationId } });
      await tx.branchFleet.update({
        where: { branchId_vehicleClassId: { branchId: r.branchId, vehicleClassId: r.vehicleClassId } },
        data: { availableCount: { increment: 1 } },
      });
    }, { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted });
  }
}

// Why this is safe:
// - `updateMany ... availableCount: { gt: 0 }` is one UPDATE with the condition in
//   the WHERE clause, so the database serialises concurrent decrements on the row.
// - `count !== 1` tells us whether we actually got a car.
// - Cancel flips the status conditionally first, so a double-click can't release twice.
