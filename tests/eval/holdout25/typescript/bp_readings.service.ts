// readings/readings.service.ts — home blood-pressure monitoring (NestJS, ioredis, Prisma)
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PrismaService } from '../prisma/prisma.service';
import { REDIS } from '../redis/redis.module';

export interface BpCategory {
  code: string;
  label: string;
  systolicMin: number;
  diastolicMin: number;
  advice: string;
}

@Injectable()
export class ReadingsService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /**
   * NICE/ESH category bands shown next to every reading. Maintained by the clinical
   * team in the admin panel; they change a couple of times a year.
   */
  async categoriesFor(userId: string): Promise<BpCategory[]> {
    const cacheKey = `bp:categories:user:${userId}`;
    const hit = await this.redis.get(cacheKey);
    if (hit) return JSON.parse(hit) as BpCategory[];

    const categories = await this.prisma.bpCategory.findMany({
      orderBy: { systolicMin: 'asc' },
      take: 20,
    });
    await this.redis.set(cacheKey, JSON.stringify(categories), 'EX', 3600);
    return categories;
  }

  async recentReadings(userId: string, days = 14) {
    return this.prisma.bpReading.findMany({
      where: { userId, takenAt: { gte: new Date(Date.now() - days * 86_400_000) } },
      orderBy: { takenAt: 'desc' },
      take: 200,
    });
  }

  /**
   * Practice dashboard: weekly averages and out-of-range counts across every patient
   * enrolled with the practice. Shown to GPs and practice nurses on their home page.
   */
  async practiceWeeklySummary(practiceId: string) {
    const key = `bp:practice:${practiceId}:weekly-summary`;
    const cached = await this.redis.get(key);
    if (cached) return JSON.parse(cached);

    const rows = await this.prisma.$queryRaw<
      { week: Date; patients: number; avg_sys: number; avg_dia: number; stage2: number }[]
    >`
      SELECT date_trunc('week', r.taken_at)              AS week,
             count(DISTINCT r.user_id)::int              AS patients,
             round(avg(r.systolic), 1)::float            AS avg_sys,
             round(avg(r.diastolic), 1)::float           AS avg_dia,
             count(*) FILTER (WHERE r.systolic >= 160 OR r.diastolic >= 100)::int AS stage2
        FROM bp_readings r
        JOIN patients p ON p.user_id = r.user_id
       WHERE p.practice_id = ${practiceId}
         AND r.taken_at >= now() - interval '52 weeks'
       GROUP BY 1
       ORDER BY 1`;

    await this.redis.set(key, JSON.stringify(rows), 'EX', 300);
    return rows;
  }
}
