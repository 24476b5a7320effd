// src/rota/rota.controller.ts + rota.service.ts (pasted together)
// Practice rota for the side: who is dancing, who is playing, who brings the
// sticks. The API runs as a Deployment with replicas: 3 behind the ingress.
import {
  Body, ConflictException, Controller, Get, Injectable, NotFoundException,
  Param, ParseIntPipe, Post, Query, Req, UseGuards,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { Practice } from './practice.entity';
import { RotaSlot } from './rota-slot.entity';
import { MemberGuard } from '../auth/member.guard';

const EDIT_LOCK_MS = 5 * 60 * 1000;

@Injectable()
export class RotaService {
  // Only one squire/bagman edits a practice's rota at a time.
  private readonly editLocks = new Map<number, { memberId: number; until: number }>();

  constructor(
    @InjectRepository(Practice) private readonly practices: Repository<Practice>,
    @InjectRepository(RotaSlot) private readonly slots: Repository<RotaSlot>,
  ) {}

  listPractices(from: Date, to: Date) {
    return this.practices.find({
      where: { date: Between(from, to) },
      order: { date: 'ASC' },
      take: 60,
    });
  }

  acquireEditLock(practiceId: number, memberId: number): void {
    const current = this.editLocks.get(practiceId);
    if (current && current.until > Date.now() && current.memberId !== memberId) {
      throw new ConflictException('Someone else is editing this rota');
    }
    this.editLocks.set(practiceId, { memberId, until: Date.now() + EDIT_LOCK_MS });
  }

  releaseEditLock(practiceId: number, memberId: number): void {
    if (this.editLocks.get(practiceId)?.memberId === memberId) {
      this.editLocks.delete(practiceId);
    }
  }

  async confirmAttendance(practiceId: number, memberId: number, role: 'dancer' | 'musician') {
    const practice = await this.practices.findOneBy({ id: practiceId });
    if (!practice) throw new NotFoundException();

    await this.slots.upsert(
      { practiceId, memberId, role, confirmedAt: new Date() },
      ['practiceId', 'memberId'],
    );

    if (role === 'dancer') {
      practice.dancersConfirmed = practice.dancersConfirmed + 1;
    } else {
      practice.musiciansConfirmed = practice.musiciansConfirmed + 1;
    }
    practice.hasFullSet = practice.dancersConfirmed >= 6 && practice.musiciansConfirmed >= 1;
    return this.practices.save(practice);
  }
}

@Controller('rota')
@UseGuards(MemberGuard)
export class RotaController {
  constructor(private readonly rota: RotaService) {}

  @Get('practices')
  list(@Query('from') from: string, @Query('to') to: string) {
    return this.rota.listPractices(new Date(from), new Date(to));
  }

  @Post('practices/:id/lock')
  lock(@Param('id', ParseIntPipe) id: number, @Req() req: { user: { id: number } }) {
    this.rota.acquireEditLock(id, req.user.id);
    return { locked: true, expiresInMs: EDIT_LOCK_MS };
  }

  @Post('practices/:id/unlock')
  unlock(@Param('id', ParseIntPipe) id: number, @Req() req: { user: { id: number } }) {
    this.rota.releaseEditLock(id, req.user.id);
    return { locked: false };
  }

  @Post('practices/:id/attend')
  attend(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: { role: 'dancer' | 'musician' },
    @Req() req: { user: { id: number } },
  ) {
    return this.rota.confirmAttendance(id, req.user.id, body.role);
  }
}
