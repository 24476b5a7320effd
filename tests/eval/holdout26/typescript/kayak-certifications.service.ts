import { Injectable, NotFoundException, BadRequestException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { Instructor } from './entities/instructor.entity';
import { Certification } from './entities/certification.entity';
import { CoachingSession } from './entities/coaching-session.entity';

/**
 * Kayak instructor certifications for the paddlesport platform. Each paddling
 * school is a tenant; every entity has a schoolId column and the controller
 * passes the schoolId from the authenticated staff member's JWT.
 */
@Injectable()
export class KayakCertificationsService {
  // Hours of logged coaching needed before an instructor can sit the next level.
  private static readonly HOURS_FOR_LEVEL: Record<number, number> = { 1: 0, 2: 40, 3: 120, 4: 300 };

  constructor(
    @InjectRepository(Instructor) private readonly instructors: Repository<Instructor>,
    @InjectRepository(Certification) private readonly certs: Repository<Certification>,
    @InjectRepository(CoachingSession) private readonly sessions: Repository<CoachingSession>,
  ) {}

  async logCoachingSession(schoolId: string, instructorId: string, hours: number, notes?: string) {
    if (hours <= 0 || hours > 12) {
      throw new BadRequestException('hours must be between 0 and 12');
    }

    const instructor = await this.instructors.findOne({ where: { id: instructorId, schoolId } });
    if (!instructor) {
      throw new NotFoundException(`instructor ${instructorId} not found`);
    }

    await this.sessions.insert({ schoolId, instructorId, hours, notes, loggedAt: new Date() });

    instructor.loggedHours = Number(instructor.loggedHours) + hours;
    const nextLevel = instructor.level + 1;
    const needed = KayakCertificationsService.HOURS_FOR_LEVEL[nextLevel];
    instructor.eligibleForAssessment = needed !== undefined && instructor.loggedHours >= needed;
    await this.instructors.save(instructor);

    return {
      instructorId,
      loggedHours: instructor.loggedHours,
      eligibleForAssessment: instructor.eligibleForAssessment,
    };
  }

  async listCertifications(schoolId: string, instructorId: string) {
    return this.certs.find({
      where: { schoolId, instructorId },
      order: { awardedOn: 'DESC' },
      take: 50,
    });
  }

  /** Certifications lapsing in the next `days` days, for the school's renewal reminder screen. */
  async expiringSoon(schoolId: string, days = 30) {
    const now = new Date();
    const until = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
    const rows = await this.certs.find({ where: { expiresOn: Between(now, until) }, relations: { instructor: true }, order: { expiresOn: 'ASC' }, take: 200 });
    return rows.map((c) => ({
      certificationId: c.id,
      instructor: `${c.instructor.firstName} ${c.instructor.lastName}`,
      award: c.awardName,
      expiresOn: c.expiresOn,
      schoolId,
    }));
  }

  async awardCertification(schoolId: string, instructorId: string, awardName: string, level: number) {
    const result = await this.instructors.update(
      { id: instructorId, schoolId, level: level - 1 },
      { level, eligibleForAssessment: false },
    );
    if (!result.affected) {
      throw new BadRequestException('instructor is not at the level below this award');
    }
    const expiresOn = new Date();
    expiresOn.setFullYear(expiresOn.getFullYear() + 3);
    return this.certs.save(
      this.certs.create({ schoolId, instructorId, awardName, level, awardedOn: new Date(), expiresOn }),
    );
  }
}
