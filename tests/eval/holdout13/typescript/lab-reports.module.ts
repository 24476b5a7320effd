// lab-reports.module.ts — clinic portal API (NestJS)
// helm values: replicaCount: 4, service behind the shared ingress
import { Module, Injectable, Controller, Post, Get, Param, Logger, NotFoundException, HttpCode } from '@nestjs/common';
import axios, { AxiosInstance } from 'axios';
import { randomUUID } from 'crypto';
import { PrismaService } from '../prisma/prisma.service';
import { CurrentClinic } from '../auth/current-clinic.decorator';
import { renderLabBundlePdf } from './render';
import { StorageService } from '../storage/storage.service';

type BundleJob = { status: 'queued' | 'running' | 'done' | 'failed'; clinicId: string; url?: string; error?: string };

@Injectable()
export class LisClient {
  private readonly http: AxiosInstance = axios.create({
    baseURL: process.env.LIS_BASE_URL,
    headers: { Authorization: `Bearer ${process.env.LIS_API_KEY}` },
  });

  async pendingOrders(accession: string): Promise<Array<{ code: string; status: string }>> {
    try {
      const { data } = await this.http.get(`/accessions/${accession}/orders`);
      return data.orders;
    } catch {
      return [];
    }
  }

  // vendor merges the individual reports server-side (max 200 accessions per call)
  async fetchMergedReports(accessions: string[]): Promise<Buffer> {
    const { data } = await this.http.post('/reports/merge', { accessions }, { responseType: 'arraybuffer' });
    return Buffer.from(data);
  }
}

@Injectable()
export class LabBundleService {
  private readonly log = new Logger(LabBundleService.name);
  private readonly jobs = new Map<string, BundleJob>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly lis: LisClient,
    private readonly storage: StorageService,
  ) {}

  start(clinicId: string, patientId: string): string {
    const id = randomUUID();
    this.jobs.set(id, { status: 'queued', clinicId });
    setImmediate(() => this.run(id, clinicId, patientId));
    return id;
  }

  get(clinicId: string, id: string): BundleJob | undefined {
    const job = this.jobs.get(id);
    return job && job.clinicId === clinicId ? job : undefined;
  }

  private async run(id: string, clinicId: string, patientId: string) {
    this.jobs.set(id, { status: 'running', clinicId });
    try {
      const results = await this.prisma.labResult.findMany({
        where: { clinicId, patientId, status: 'FINAL' },
        orderBy: { collectedAt: 'desc' },
        take: 200,
      });
      const merged = await this.lis.fetchMergedReports(results.map((r) => r.accession));
      const bundle = await renderLabBundlePdf(merged, { coverPage: true });
      const url = await this.storage.putSigned(`bundles/${clinicId}/${id}.pdf`, bundle, 3600);
      this.jobs.set(id, { status: 'done', clinicId, url });
    } catch (err) {
      this.log.error(`bundle ${id} failed`, err as Error);
      this.jobs.set(id, { status: 'failed', clinicId, error: 'could not build bundle' });
    }
  }
}

@Controller('patients/:patientId/lab-bundles')
export class LabBundleController {
  constructor(private readonly bundles: LabBundleService, private readonly lis: LisClient, private readonly prisma: PrismaService) {}

  @Post()
  @HttpCode(202)
  create(@CurrentClinic() clinicId: string, @Param('patientId') patientId: string) {
    return { jobId: this.bundles.start(clinicId, patientId) };
  }

  @Get(':jobId')
  status(@CurrentClinic() clinicId: string, @Param('jobId') jobId: string) {
    const job = this.bundles.get(clinicId, jobId);
    if (!job) throw new NotFoundException();
    return job;
  }

  @Get('/pending/:accession')
  async pending(@CurrentClinic() clinicId: string, @Param('patientId') patientId: string, @Param('accession') accession: string) {
    const owned = await this.prisma.labResult.count({ where: { clinicId, patientId, accession } });
    if (!owned) throw new NotFoundException();
    return this.lis.pendingOrders(accession);
  }
}

@Module({
  controllers: [LabBundleController],
  providers: [LisClient, LabBundleService, PrismaService, StorageService],
})
export class LabReportsModule {}
