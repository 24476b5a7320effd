// courses/walling-courses.controller.ts
// Dry-stone walling weekend courses (beginners, coping stones, cheek ends). Places are
// limited by the length of wall the instructor can supervise, so enrolment must never
// oversell a course, and a retried request must not take a second place.
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WallingCourse } from './entities/walling-course.entity';
import { Enrolment } from './entities/enrolment.entity';
import { EnrolmentRequest } from './entities/enrolment-request.entity';
import type { AuthedRequest } from '../auth/authed-request';

@Controller('courses')
export class WallingCoursesController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  list(@Query('page') page = '1', @Query('region') region?: string) {
    const pageNumber = Math.max(1, Number(page) || 1);
    return this.dataSource.getRepository(WallingCourse).find({
      where: { published: true, ...(region ? { region } : {}) },
      order: { startsOn: 'ASC' },
      take: 20,
      skip: (pageNumber - 1) * 20,
      select: { id: true, title: true, region: true, startsOn: true, placesLeft: true, level: true },
    });
  }

  @Post(':courseId/enrolments')
  async enrol(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: { dietaryNotes?: string; bringingOwnHammer?: boolean },
    @Req() req: AuthedRequest,
  ) {
    if (!idempotencyKey) throw new BadRequestException('Idempotency-Key header is required');
    const traineeId = req.user.id;

    return this.dataSource.transaction(async (manager) => {
      // Claim the idempotency key first; a replay finds the earlier enrolment.
      const claim = await manager
        .createQueryBuilder()
        .insert()
        .into(EnrolmentRequest)
        .values({ idempotencyKey, traineeId, courseId })
        .orIgnore()
        .execute();
      if (claim.identifiers.length === 0 || !claim.identifiers[0]) {
        const earlier = await manager.findOne(EnrolmentRequest, { where: { idempotencyKey, traineeId } });
        if (!earlier?.enrolmentId) throw new ConflictException('this request is still being processed');
        return { enrolmentId: earlier.enrolmentId, replayed: true };
      }

      // Take a place only if one is left; the row count tells us whether we got it.
      const taken = await manager
        .createQueryBuilder()
        .update(WallingCourse)
        .set({ placesLeft: () => 'places_left - 1' })
        .where('id = :courseId AND published = true AND places_left > 0', { courseId })
        .execute();
      if (taken.affected !== 1) {
        const exists = await manager.exists(WallingCourse, { where: { id: courseId, published: true } });
        if (!exists) throw new NotFoundException('course not found');
        throw new ConflictException('course is full');
      }

      // UNIQUE (course_id, trainee_id) backs this up if the same trainee uses two keys.
      const enrolment = await manager.save(
        manager.create(Enrolment, {
          courseId,
          traineeId,
          dietaryNotes: body.dietaryNotes ?? null,
          bringingOwnHammer: Boolean(body.bringingOwnHammer),
        }),
      );
      await manager.update(EnrolmentRequest, { idempotencyKey }, { enrolmentId: enrolment.id });
      return { enrolmentId: enrolment.id, replayed: false };
    });
  }
}
