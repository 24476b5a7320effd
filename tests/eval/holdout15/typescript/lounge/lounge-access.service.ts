// apps/lounge-api/src/access/lounge-access.service.ts
// Lounges are operated per partner airline; every table carries airline_id.

import {
  Body, Controller, ConflictException, Get, Injectable, NotFoundException, Param, ParseIntPipe, Post, Req, UseGuards,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Lounge } from './entities/lounge.entity';
import { LoungeVisit } from './entities/lounge-visit.entity';
import { AgentGuard, AgentRequest } from '../auth/agent.guard';

export class AdmitDto {
  boardingPassBarcode!: string;
  guests!: number;
  tier!: 'business' | 'first' | 'gold' | 'priority_pass';
}

@Injectable()
export class LoungeAccessService {
  constructor(
    @InjectRepository(Lounge) private readonly lounges: Repository<Lounge>,
    @InjectRepository(LoungeVisit) private readonly visits: Repository<LoungeVisit>,
  ) {}

  async admit(airlineId: number, loungeId: number, dto: AdmitDto): Promise<LoungeVisit> {
    const lounge = await this.lounges.findOne({ where: { id: loungeId, airlineId } });
    if (!lounge) throw new NotFoundException('lounge not found');

    const inside = await this.visits.count({ where: { loungeId, airlineId, exitedAt: IsNull() } });
    if (inside + 1 + dto.guests > lounge.capacity) {
      throw new ConflictException('lounge at capacity');
    }

    const visit = this.visits.create({
      airlineId,
      loungeId,
      barcode: dto.boardingPassBarcode,
      guests: dto.guests,
      tier: dto.tier,
      enteredAt: new Date(),
    });
    return this.visits.save(visit);
  }

  async checkout(airlineId: number, visitId: number): Promise<void> {
    const res = await this.visits.update({ id: visitId, airlineId, exitedAt: IsNull() }, { exitedAt: new Date() });
    if (!res.affected) throw new NotFoundException();
  }

  async getVisit(visitId: number): Promise<LoungeVisit> {
    const v = await this.visits.findOne({ where: { id: visitId }, relations: { lounge: true } });
    if (!v) throw new NotFoundException();
    return v;
  }

  async history(airlineId: number, loungeId: number): Promise<LoungeVisit[]> {
    return this.visits.find({
      where: { airlineId, loungeId },
      order: { enteredAt: 'DESC' },
    });
  }
}

@UseGuards(AgentGuard)
@Controller('lounges')
export class LoungeAccessController {
  constructor(private readonly svc: LoungeAccessService) {}

  @Post(':loungeId/admit')
  admit(@Req() req: AgentRequest, @Param('loungeId', ParseIntPipe) loungeId: number, @Body() dto: AdmitDto) {
    return this.svc.admit(req.agent.airlineId, loungeId, dto);
  }

  @Post('visits/:id/checkout')
  checkout(@Req() req: AgentRequest, @Param('id', ParseIntPipe) id: number) {
    return this.svc.checkout(req.agent.airlineId, id);
  }

  @Get('visits/:id')
  visit(@Param('id', ParseIntPipe) id: number) {
    return this.svc.getVisit(id);
  }

  @Get(':loungeId/visits')
  history(@Req() req: AgentRequest, @Param('loungeId', ParseIntPipe) loungeId: number) {
    return this.svc.history(req.agent.airlineId, loungeId);
  }
}
