// src/claims/claims.service.ts + claims.controller.ts (pasted together)
// Multi-tenant: each insurer partner is a tenant; claims, claim_documents and
// claim_line_items all carry tenant_id.
import {
  Controller, Get, Injectable, NotFoundException, Param, ParseIntPipe, Query, UseGuards,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { Claim } from './entities/claim.entity';
import { ClaimDocument } from './entities/claim-document.entity';
import { TenantGuard } from '../auth/tenant.guard';
import { CurrentTenant } from '../auth/current-tenant.decorator';

const PAGE_SIZE = 25;

@Injectable()
export class ClaimsService {
  constructor(
    @InjectRepository(Claim) private readonly claims: Repository<Claim>,
    @InjectRepository(ClaimDocument) private readonly documents: Repository<ClaimDocument>,
    private readonly dataSource: DataSource,
  ) {}

  async listOpen(tenantId: string, page = 1): Promise<Claim[]> {
    const claims = await this.claims.find({
      where: { tenantId, status: In(['submitted', 'in_review', 'awaiting_vet']) },
      order: { submittedAt: 'DESC' },
      take: PAGE_SIZE,
      skip: (page - 1) * PAGE_SIZE,
    });
    return this.attachDocuments(claims);
  }

  async getClaim(tenantId: string, claimId: number): Promise<Claim> {
    const claim = await this.claims.findOne({
      where: { id: claimId },
      relations: { pet: true, policy: true, lineItems: true },
    });
    if (!claim) throw new NotFoundException(`Claim ${claimId} not found`);
    const [withDocs] = await this.attachDocuments([claim]);
    return withDocs;
  }

  async dashboard(tenantId: string) {
    return this.dataSource.query(
      `SELECT date_trunc('month', c.submitted_at) AS month,
              p.species,
              c.status,
              COUNT(DISTINCT c.id)        AS claims,
              SUM(li.billed_cents)        AS billed_cents,
              SUM(li.approved_cents)      AS approved_cents,
              AVG(c.decided_at - c.submitted_at) AS avg_turnaround
         FROM claims c
         JOIN pets p              ON p.id = c.pet_id
         JOIN claim_line_items li ON li.claim_id = c.id AND li.tenant_id = c.tenant_id
        WHERE c.tenant_id = $1
          AND c.submitted_at >= now() - interval '24 months'
        GROUP BY 1, 2, 3
        ORDER BY 1 DESC`,
      [tenantId],
    );
  }

  private async attachDocuments(claims: Claim[]): Promise<Claim[]> {
    for (const claim of claims) {
      claim.documents = await this.documents.find({
        where: { claimId: claim.id, tenantId: claim.tenantId },
        order: { uploadedAt: 'ASC' },
      });
    }
    return claims;
  }
}

@Controller('claims')
@UseGuards(TenantGuard)
export class ClaimsController {
  constructor(private readonly service: ClaimsService) {}

  @Get()
  list(@CurrentTenant() tenantId: string, @Query('page') page = '1') {
    return this.service.listOpen(tenantId, Math.max(1, Number(page) || 1));
  }

  // adjuster home screen, loaded on every visit
  @Get('dashboard')
  dashboard(@CurrentTenant() tenantId: string) {
    return this.service.dashboard(tenantId);
  }

  @Get(':id')
  get(@CurrentTenant() tenantId: string, @Param('id', ParseIntPipe) id: number) {
    return this.service.getClaim(tenantId, id);
  }
}
