import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CurrentOrg } from '../auth/current-org.decorator';
import { Dashboard } from './entities/dashboard.entity';
import { EventExportService } from './event-export.service';

type ExportStatus =
  | { state: 'running'; startedAt: Date }
  | { state: 'done'; url: string }
  | { state: 'failed'; error: string };

@Controller('analytics')
@UseGuards(JwtAuthGuard)
export class AnalyticsController {
  // jobId -> status. The API runs with replicas: 4 (deploy/helm/values-prod.yaml).
  private readonly exportJobs = new Map<string, ExportStatus>();

  constructor(
    @InjectRepository(Dashboard) private readonly dashboards: Repository<Dashboard>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly exporter: EventExportService,
  ) {}

  @Get('dashboards')
  listDashboards(@CurrentOrg() orgId: string) {
    return this.dashboards.find({
      where: { orgId },
      order: { updatedAt: 'DESC' },
      take: 50,
    });
  }

  @Get('dashboards/:id')
  async getDashboard(@Param('id', ParseIntPipe) id: number) {
    const dashboard = await this.dashboards.findOne({ where: { id }, relations: { widgets: true } });
    if (!dashboard) throw new NotFoundException('Dashboard not found');
    return dashboard;
  }

  /**
   * Numbers for the charts on the dashboard home page (fetched on every page load).
   */
  @Get('overview')
  async overview(@CurrentOrg() orgId: string, @Query('days') days = '90') {
    const window = Math.min(Number(days) || 90, 365);
    const rows = await this.dataSource.query(
      `SELECT date_trunc('day', e.occurred_at) AS day,
              count(*)                          AS events,
              count(DISTINCT e.user_id)         AS active_users,
              coalesce(sum((e.properties->>'amount')::numeric)
                       FILTER (WHERE e.name = 'purchase'), 0) AS revenue
         FROM events e
        WHERE e.org_id = $1
          AND e.occurred_at >= now() - make_interval(days => $2)
        GROUP BY 1
        ORDER BY 1`,
      [orgId, window],
    );
    return rows.map((r: any) => ({
      day: r.day,
      events: Number(r.events),
      activeUsers: Number(r.active_users),
      revenue: Number(r.revenue),
    }));
  }

  @Post('exports')
  @HttpCode(202)
  startExport(@CurrentOrg() orgId: string) {
    const jobId = randomUUID();
    this.exportJobs.set(jobId, { state: 'running', startedAt: new Date() });

    // fire-and-forget, the client polls GET /analytics/exports/:jobId
    this.exporter
      .exportEventsToS3(orgId)
      .then((url) => this.exportJobs.set(jobId, { state: 'done', url }))
      .catch((err) => this.exportJobs.set(jobId, { state: 'failed', error: String(err) }));

    return { jobId, statusUrl: `/analytics/exports/${jobId}` };
  }

  @Get('exports/:jobId')
  exportStatus(@Param('jobId') jobId: string) {
    const status = this.exportJobs.get(jobId);
    if (!status) throw new NotFoundException('Unknown export');
    return status;
  }
}
