import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CurrentStaff, StaffContext } from '../auth/current-staff.decorator';
import { RefillRequestDto } from './dto/refill-request.dto';

/**
 * Prescription orders for a pharmacy. Every pharmacy on the platform is a
 * tenant; staff JWTs carry `pharmacyId` and all reads are scoped to it.
 */
@Controller('orders')
@UseGuards(JwtAuthGuard)
export class OrdersController {
  constructor(private readonly prisma: PrismaService) {}

  @Get()
  async list(
    @CurrentStaff() staff: StaffContext,
    @Query('status') status?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.prisma.rxOrder.findMany({
      where: { pharmacyId: staff.pharmacyId, ...(status ? { status } : {}) },
      orderBy: { id: 'desc' },
      take: 50,
      ...(cursor ? { cursor: { id: Number(cursor) }, skip: 1 } : {}),
      include: { patient: { select: { id: true, fullName: true, dateOfBirth: true } } },
    });
  }

  @Get(':id')
  async get(@CurrentStaff() staff: StaffContext, @Param('id', ParseIntPipe) id: number) {
    const order = await this.prisma.rxOrder.findFirst({
      where: { id, pharmacyId: staff.pharmacyId },
      include: { items: true, patient: true, prescriber: true },
    });
    if (!order) throw new NotFoundException();
    return order;
  }

  /** Data for the bottle label printer at the pickup counter. */
  @Get(':id/label')
  async label(@Param('id', ParseIntPipe) id: number) {
    const order = await this.prisma.rxOrder.findUnique({
      where: { id },
      select: {
        id: true,
        pickupAt: true,
        patient: { select: { fullName: true, dateOfBirth: true, address: true } },
        prescriber: { select: { fullName: true, npi: true } },
        items: { select: { ndc: true, drugName: true, quantity: true, sig: true } },
      },
    });
    if (!order) throw new NotFoundException();
    return order;
  }

  @Post(':id/refill')
  async refill(
    @CurrentStaff() staff: StaffContext,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: RefillRequestDto,
  ) {
    const original = await this.prisma.rxOrder.findFirst({
      where: { id, pharmacyId: staff.pharmacyId },
      include: { items: true },
    });
    if (!original) throw new NotFoundException();
    if (original.refillsRemaining <= 0) {
      throw new ForbiddenException('No refills remaining on this prescription');
    }

    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.rxOrder.updateMany({
        where: { id, pharmacyId: staff.pharmacyId, refillsRemaining: { gt: 0 } },
        data: { refillsRemaining: { decrement: 1 } },
      });
      if (updated.count === 0) throw new ForbiddenException('No refills remaining on this prescription');

      return tx.rxOrder.create({
        data: {
          pharmacyId: staff.pharmacyId,
          patientId: original.patientId,
          prescriberId: original.prescriberId,
          parentOrderId: original.id,
          status: 'PENDING_VERIFICATION',
          pickupAt: dto.pickupAt,
          items: {
            create: original.items.map((i) => ({ ndc: i.ndc, quantity: i.quantity, sig: i.sig })),
          },
        },
      });
    });
  }
}
