import { Injectable, NotFoundException } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { InjectRedis } from "@nestjs-modules/ioredis";
import Redis from "ioredis";
import { Apprentice } from "./entities/apprentice.entity";
import { TrainingModule } from "./entities/training-module.entity";
import { SiteLog } from "./entities/site-log.entity";
import { LogSiteDayDto } from "./dto/log-site-day.dto";

export interface CurrentUser {
  id: string;
  schemeId: string;
}

/**
 * Drystone walling apprenticeships: apprentices log days on site with their
 * master waller (metres of wall rebuilt, hours, technique practised) and work
 * through the training modules towards the Level 3 certificate.
 */
@Injectable()
export class ApprenticeshipService {
  constructor(
    @InjectRepository(Apprentice) private readonly apprentices: Repository<Apprentice>,
    @InjectRepository(TrainingModule) private readonly modules: Repository<TrainingModule>,
    @InjectRepository(SiteLog) private readonly siteLogs: Repository<SiteLog>,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async logSiteDay(user: CurrentUser, apprenticeId: string, dto: LogSiteDayDto) {
    const apprentice = await this.apprentices.findOneBy({ id: apprenticeId, schemeId: user.schemeId });
    if (!apprentice) throw new NotFoundException("Apprentice not found");

    await this.siteLogs.insert({
      apprenticeId,
      schemeId: user.schemeId,
      siteName: dto.siteName,
      workedOn: dto.date,
      hours: dto.hours,
      metres: dto.metres,
      technique: dto.technique,
      signedOffBy: user.id,
    });

    // Running totals shown on the apprentice's progress card.
    apprentice.hoursOnSite += dto.hours;
    apprentice.metresRebuilt += dto.metres;
    if (apprentice.hoursOnSite >= 400 && !apprentice.level2EligibleAt) {
      apprentice.level2EligibleAt = new Date();
    }
    await this.apprentices.save(apprentice);

    return {
      hoursOnSite: apprentice.hoursOnSite,
      metresRebuilt: apprentice.metresRebuilt,
      level2Eligible: Boolean(apprentice.level2EligibleAt),
    };
  }

  /** Module catalogue for the scheme, shown on every apprentice's dashboard. */
  async getModuleCatalogue(user: CurrentUser) {
    const cacheKey = `modules:catalogue:${user.id}`;
    const cached = await this.redis.get(cacheKey);
    if (cached) return JSON.parse(cached);

    const modules = await this.modules.find({
      where: { schemeId: user.schemeId, published: true },
      select: { id: true, code: true, title: true, level: true, hoursRequired: true },
      order: { level: "ASC", code: "ASC" },
      take: 200,
    });

    await this.redis.set(cacheKey, JSON.stringify(modules), "EX", 3600);
    return modules;
  }
}
