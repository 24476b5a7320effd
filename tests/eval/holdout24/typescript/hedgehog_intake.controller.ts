// intake/intake.controller.ts
// Hedgehog rescue intake. Several rescue centres use the app; the JWT carries rescueId
// and every query below is scoped by it. Volunteers on patchy mobile signal often
// double-submit, so the form sends an Idempotency-Key header.
import {
  BadRequestException, Body, Controller, Get, Headers, NotFoundException, Param,
  ParseIntPipe, Post, Query, UseGuards,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { JwtGuard, CurrentRescue } from '../auth';
import { Intake } from './intake.entity'; // @Unique(['rescueId', 'clientRequestId'])
import { CreateIntakeDto } from './dto';

const UNIQUE_VIOLATION = '23505';

@UseGuards(JwtGuard)
@Controller('intakes')
export class IntakeController {
  constructor(@InjectRepository(Intake) private readonly intakes: Repository<Intake>) {}

  @Get()
  async list(
    @CurrentRescue() rescueId: string,
    @Query('page', new ParseIntPipe({ optional: true })) page = 1,
    @Query('status') status?: 'in_care' | 'released' | 'died',
  ) {
    const take = 50;
    const [items, total] = await this.intakes.findAndCount({
      where: { rescueId, ...(status ? { status } : {}) },
      order: { admittedAt: 'DESC' },
      take,
      skip: (Math.max(page, 1) - 1) * take,
    });
    return { items, total, page };
  }

  @Get(':id')
  async get(@CurrentRescue() rescueId: string, @Param('id') id: string) {
    const intake = await this.intakes.findOne({ where: { id, rescueId } });
    if (!intake) throw new NotFoundException();
    return intake;
  }

  @Post()
  async create(
    @CurrentRescue() rescueId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() dto: CreateIntakeDto,
  ) {
    if (!idempotencyKey || idempotencyKey.length > 64) {
      throw new BadRequestException('Idempotency-Key header is required');
    }
    try {
      return await this.intakes.save(
        this.intakes.create({
          rescueId,
          clientRequestId: idempotencyKey,
          foundAt: dto.foundAt,
          finderPostcode: dto.finderPostcode,
          weightGrams: dto.weightGrams,
          condition: dto.condition,
          status: 'in_care',
          admittedAt: new Date(),
        }),
      );
    } catch (err) {
      const code = err instanceof QueryFailedError ? (err.driverError as { code?: string }).code : undefined;
      if (code !== UNIQUE_VIOLATION) throw err;
      // Same form submitted twice: hand back the row created by the first request.
      return this.intakes.findOneOrFail({ where: { rescueId, clientRequestId: idempotencyKey } });
    }
  }

  @Post(':id/weights')
  async recordWeight(
    @CurrentRescue() rescueId: string,
    @Param('id') id: string,
    @Body('grams', ParseIntPipe) grams: number,
  ) {
    // Plain assignment of the latest weighing; history lives in intake_weights.
    const result = await this.intakes.update({ id, rescueId }, { weightGrams: grams, weighedAt: new Date() });
    if (result.affected !== 1) throw new NotFoundException();
    await this.intakes.manager.insert('intake_weights', { intakeId: id, rescueId, grams, at: new Date() });
    return { id, grams };
  }
}
