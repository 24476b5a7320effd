// claims.module.ts — Insurance claims API (NestJS + TypeORM)
// Every claim belongs to a carrier organisation (org_id); users only see their org's claims.

import { Body, Controller, Get, Injectable, Module, NotFoundException, Param, ParseUUIDPipe, Patch, Query, UseGuards } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Repository } from 'typeorm';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CurrentUser, AuthUser } from '../auth/current-user.decorator';

@Entity('claims')
export class Claim {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'org_id' }) orgId: string;
  @Column() policyNumber: string;
  @Column() status: 'open' | 'in_review' | 'approved' | 'denied' | 'paid';
  @Column('numeric') amountClaimed: string;
  @Column({ nullable: true }) adjusterId: string | null;
  @CreateDateColumn() createdAt: Date;
}

@Injectable()
export class ClaimsService {
  constructor(@InjectRepository(Claim) private readonly claims: Repository<Claim>) {}

  listOpen(orgId: string, page = 1, pageSize = 50) {
    return this.claims.find({
      where: { orgId, status: 'open' },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }

  async getById(orgId: string, id: string) {
    const claim = await this.claims.findOne({ where: { id, orgId } });
    if (!claim) throw new NotFoundException();
    return claim;
  }

  async assignAdjuster(id: string, adjusterId: string) {
    const claim = await this.claims.findOneBy({ id });
    if (!claim) throw new NotFoundException();
    claim.adjusterId = adjusterId;
    claim.status = 'in_review';
    return this.claims.save(claim);
  }

  exportForPolicy(orgId: string, policyNumber: string) {
    return this.claims.find({ where: { orgId, policyNumber }, order: { createdAt: 'ASC' } });
  }

  history(orgId: string) {
    return this.claims.find({ where: { orgId }, order: { createdAt: 'DESC' } });
  }
}

@UseGuards(JwtAuthGuard)
@Controller('claims')
export class ClaimsController {
  constructor(private readonly service: ClaimsService) {}

  @Get()
  listOpen(@CurrentUser() user: AuthUser, @Query('page') page = '1') {
    return this.service.listOpen(user.orgId, Number(page));
  }

  @Get('history')
  history(@CurrentUser() user: AuthUser) {
    return this.service.history(user.orgId);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.getById(user.orgId, id);
  }

  @Patch(':id/adjuster')
  assign(@Param('id', ParseUUIDPipe) id: string, @Body() body: { adjusterId: string }) {
    return this.service.assignAdjuster(id, body.adjusterId);
  }
}

@Module({
  imports: [TypeOrmModule.forFeature([Claim])],
  providers: [ClaimsService],
  controllers: [ClaimsController],
})
export class ClaimsModule {}
