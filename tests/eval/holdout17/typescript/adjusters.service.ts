// src/adjusters/adjusters.module.ts + adjusters.service.ts
// Insurance claims: field adjusters work claims for one carrier (tenant = carrierId).
import { Injectable, Module, ConflictException, NotFoundException, Logger } from '@nestjs/common';
import { HttpModule, HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';
import { PrismaService } from '../prisma/prisma.service';
import { AdjustersController } from './adjusters.controller';

@Injectable()
export class AdjustersService {
  private readonly logger = new Logger(AdjustersService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly http: HttpService, // timeout configured once in HttpModule.register below
  ) {}

  /** Open claims on an adjuster's desk, cursor-paginated, with policyholder + first photos. */
  listOpenClaims(carrierId: string, adjusterId: string, cursor?: string) {
    return this.prisma.claim.findMany({
      where: { carrierId, adjusterId, status: { in: ['OPEN', 'IN_REVIEW'] } },
      include: { policyholder: true, photos: { take: 5, orderBy: { takenAt: 'desc' } } },
      orderBy: { id: 'asc' },
      take: 50,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
  }

  async getClaim(carrierId: string, claimId: string) {
    const claim = await this.prisma.claim.findFirst({ where: { id: claimId, carrierId } });
    if (!claim) throw new NotFoundException();
    // loss_codes is the shared ISO reference table; it has no carrier column.
    const lossCode = await this.prisma.lossCode.findUnique({ where: { code: claim.lossCode } });
    return { ...claim, lossCode };
  }

  /** Assign an unassigned claim; the conditional update makes double-assignment impossible. */
  async assignClaim(carrierId: string, claimId: string, adjusterId: string) {
    return this.prisma.$transaction(async (tx) => {
      const res = await tx.claim.updateMany({
        where: { id: claimId, carrierId, adjusterId: null },
        data: { adjusterId, assignedAt: new Date(), status: 'IN_REVIEW' },
      });
      if (res.count === 0) throw new ConflictException('claim already assigned or not found');
      await tx.adjuster.updateMany({
        where: { id: adjusterId, carrierId },
        data: { openClaims: { increment: 1 } },
      });
    });
  }

  /** Geocode the loss address so the scheduler can route site visits. */
  async geocodeLoss(carrierId: string, claimId: string) {
    const claim = await this.prisma.claim.findFirst({
      where: { id: claimId, carrierId },
      select: { lossAddress: true },
    });
    if (!claim) throw new NotFoundException();
    try {
      const { data } = await firstValueFrom(this.http.get('/v1/geocode', { params: { q: claim.lossAddress } }));
      return { lat: data.lat, lng: data.lng };
    } catch (err) {
      this.logger.error(`geocoding failed for claim ${claimId}`, (err as Error).stack);
      throw err;
    }
  }
}

@Module({
  imports: [
    HttpModule.register({
      baseURL: process.env.GEOCODER_URL,
      timeout: 5000,
      maxRedirects: 2,
    }),
  ],
  controllers: [AdjustersController],
  providers: [AdjustersService, PrismaService],
})
export class AdjustersModule {}
