/**
 * Glacier tour permits -- production-ready NestJS module (service + controller).
 *
 * Flow:
 *   1. Guest places a short hold on N permits for a tour day.
 *   2. Guest pays; the hold is converted into issued permits.
 * Capacity per tour day is set by the national-park quota (TourDay.capacity).
 */
import {
  Body,
  ConflictException,
  Controller,
  Injectable,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { IsInt, IsUUID, Max, Min } from 'class-validator';
import { AuthGuard } from '../auth/auth.guard';
import { Permit, PermitHold, TourDay } from './entities';

const HOLD_TTL_MS = 15 * 60 * 1000; // 15-minute checkout window

export class HoldPermitsDto {
  @IsUUID() tourDayId!: string;
  @IsInt() @Min(1) @Max(12) partySize!: number;
}

@Injectable()
export class PermitsService {
  constructor(
    @InjectRepository(TourDay) private readonly days: Repository<TourDay>,
    @InjectRepository(Permit) private readonly permits: Repository<Permit>,
    @InjectRepository(PermitHold) private readonly holds: Repository<PermitHold>,
    private readonly dataSource: DataSource,
  ) {}

  /** Reserve permits for a party if the day still has quota left. */
  async placeHold(dto: HoldPermitsDto, guestId: string): Promise<PermitHold> {
    const day = await this.days.findOneBy({ id: dto.tourDayId });
    if (!day) throw new NotFoundException('Tour day not found');

    const issued = await this.permits.count({ where: { tourDayId: day.id } });
    const { reserved } = await this.holds
      .createQueryBuilder('h')
      .select('COALESCE(SUM(h.partySize), 0)', 'reserved')
      .where('h.tourDayId = :id AND h.expiresAt > now()', { id: day.id })
      .getRawOne();

    if (issued + Number(reserved) + dto.partySize > day.capacity) {
      throw new ConflictException('Not enough permits left for this day');
    }

    const hold = this.holds.create({
      tourDayId: day.id,
      guestId,
      partySize: dto.partySize,
      expiresAt: new Date(Date.now() + HOLD_TTL_MS),
    });
    return this.holds.save(hold);
  }

  /** Convert a paid hold into permits; the hold row is removed on success. */
  async confirmHold(holdId: string, guestId: string): Promise<Permit[]> {
    return this.dataSource.transaction(async (em) => {
      const hold = await em.findOne(PermitHold, {
        where: { id: holdId, guestId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!hold || hold.expiresAt < new Date()) {
        throw new ConflictException('Hold expired, please start again');
      }
      const rows = Array.from({ length: hold.partySize }, () =>
        em.create(Permit, { tourDayId: hold.tourDayId, guestId }),
      );
      const saved = await em.save(rows);
      await em.delete(PermitHold, { id: hold.id });
      return saved;
    });
  }
}

@Controller('tour-days')
@UseGuards(AuthGuard)
export class PermitsController {
  constructor(private readonly permitsService: PermitsService) {}

  @Post(':id/holds')
  hold(@Param('id', ParseUUIDPipe) id: string, @Body() body: HoldPermitsDto, @Req() req: any) {
    return this.permitsService.placeHold({ ...body, tourDayId: id }, req.user.id);
  }

  @Post('holds/:holdId/confirm')
  confirm(@Param('holdId', ParseUUIDPipe) holdId: string, @Req() req: any) {
    return this.permitsService.confirmHold(holdId, req.user.id);
  }
}
