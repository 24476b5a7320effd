// You're right that the count-then-save in `admit()` can overbook: two agents scanning at the
// same moment both see `inside = 79` for an 80-seat lounge and both get admitted.
// Here's a corrected version. The lounge row is locked (SELECT ... FOR UPDATE) inside a
// transaction, so admissions to the same lounge are serialized; the count and the insert
// happen while the lock is held. Every query is scoped to the agent's airline.

import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { InjectDataSource } from '@nestjs/typeorm';
import { firstValueFrom } from 'rxjs';
import { DataSource, IsNull } from 'typeorm';
import { Lounge } from './entities/lounge.entity';
import { LoungeVisit } from './entities/lounge-visit.entity';
import { AdmitDto } from './dto/admit.dto';

@Injectable()
export class AdmissionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    // HttpModule.register({ timeout: 3000, maxRedirects: 0 }) in access.module.ts
    private readonly http: HttpService,
  ) {}

  async admit(airlineId: number, loungeId: number, dto: AdmitDto): Promise<LoungeVisit> {
    // entitlement lookup happens before we take the lock so the lock is held briefly
    const { data: entitlement } = await firstValueFrom(
      this.http.get<{ eligible: boolean; maxGuests: number }>(`/entitlements/${encodeURIComponent(dto.boardingPassBarcode)}`),
    );
    if (!entitlement.eligible) throw new ConflictException('not eligible for lounge access');
    if (dto.guests > entitlement.maxGuests) throw new ConflictException('too many guests for this tier');

    return this.dataSource.transaction(async (manager) => {
      const lounge = await manager.findOne(Lounge, {
        where: { id: loungeId, airlineId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!lounge) throw new NotFoundException('lounge not found');

      const inside = await manager.count(LoungeVisit, {
        where: { loungeId, airlineId, exitedAt: IsNull() },
      });
      if (inside + 1 + dto.guests > lounge.capacity) {
        throw new ConflictException('lounge at capacity');
      }

      return manager.save(
        manager.create(LoungeVisit, {
          airlineId,
          loungeId,
          barcode: dto.boardingPassBarcode,
          guests: dto.guests,
          tier: dto.tier,
          enteredAt: new Date(),
        }),
      );
    });
  }
}

// access.module.ts
//
// @Module({
//   imports: [
//     TypeOrmModule.forFeature([Lounge, LoungeVisit]),
//     HttpModule.register({ baseURL: process.env.ENTITLEMENT_URL, timeout: 3000, maxRedirects: 0 }),
//   ],
//   providers: [AdmissionService],
// })
// export class AccessModule {}
