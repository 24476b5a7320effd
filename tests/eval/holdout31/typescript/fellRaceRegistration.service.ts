import { Injectable, NotFoundException, BadRequestException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Race } from './entities/race.entity';
import { Registration } from './entities/registration.entity';
import { RegisterRunnerDto } from './dto/register-runner.dto';

export interface ClubStats {
  club: string;
  finishes: number;
  meanSeconds: number;
  medianSeconds: number;
  bestSeconds: number;
}

/**
 * Registrations for fell races (FRA category A/B/C). Entry is online up to
 * the Thursday before; every runner gets a bib number and must confirm they
 * carry full body cover, map and compass.
 */
@Injectable()
export class FellRaceRegistrationService {
  constructor(
    @InjectRepository(Race) private readonly races: Repository<Race>,
    @InjectRepository(Registration) private readonly registrations: Repository<Registration>,
    private readonly dataSource: DataSource,
  ) {}

  async register(raceId: number, runnerId: number, dto: RegisterRunnerDto): Promise<Registration> {
    if (!dto.kitDeclaration) {
      throw new BadRequestException('You must confirm you will carry the required kit');
    }

    const race = await this.races.findOne({ where: { id: raceId } });
    if (!race) throw new NotFoundException('Race not found');
    if (race.entriesCloseAt < new Date()) {
      throw new BadRequestException('Online entries have closed for this race');
    }

    // Bib numbers are handed out sequentially per race.
    const bib = race.nextBibNumber;
    race.nextBibNumber = bib + 1;
    await this.races.save(race);

    const registration = this.registrations.create({
      race,
      runnerId,
      bibNumber: bib,
      club: dto.club ?? 'Unattached',
      category: dto.ageCategory,
      emergencyContact: dto.emergencyContact,
    });
    return this.registrations.save(registration);
  }

  async myRegistrations(runnerId: number): Promise<Registration[]> {
    return this.registrations.find({
      where: { runnerId },
      relations: { race: true },
      order: { createdAt: 'DESC' },
      take: 25,
    });
  }

  /**
   * Club comparison shown on every race page: how each club's runners have
   * done on this course across all previous years.
   */
  async clubStatsForCourse(courseId: number): Promise<ClubStats[]> {
    const rows = await this.dataSource.query(
      `SELECT ru.club, count(*) AS finishes, avg(r.finish_seconds) AS mean_seconds,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY r.finish_seconds) AS median_seconds,
              min(r.finish_seconds) AS best_seconds
         FROM results r
         JOIN registrations reg ON reg.id = r.registration_id
         JOIN runners ru ON ru.id = reg.runner_id
         JOIN races ra ON ra.id = reg.race_id
        WHERE ra.course_id = $1 AND r.status = 'finished'
        GROUP BY ru.club
       HAVING count(*) >= 3
        ORDER BY median_seconds
        LIMIT 30`,
      [courseId],
    );
    return rows.map((r: any) => ({
      club: r.club,
      finishes: Number(r.finishes),
      meanSeconds: Number(r.mean_seconds),
      medianSeconds: Number(r.median_seconds),
      bestSeconds: Number(r.best_seconds),
    }));
  }
}

// race.controller.ts (excerpt)
// @Get(':raceId')
// async racePage(@Param('raceId', ParseIntPipe) raceId: number) {
//   const race = await this.raceService.findById(raceId);
//   const clubStats = await this.registrationService.clubStatsForCourse(race.courseId);
//   return { race, clubStats };
// }
