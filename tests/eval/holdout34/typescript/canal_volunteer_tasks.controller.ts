// src/tasks/canal-volunteer-tasks.controller.ts
// Canal restoration volunteer tasks. Each canal trust is a tenant on the
// platform; req.user.trustId comes from the JWT.

import {
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
  UseGuards,
} from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import archiver from "archiver";
import { PassThrough } from "stream";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";
import { VolunteerTask } from "./entities/volunteer-task.entity";
import { Volunteer } from "../volunteers/entities/volunteer.entity";
import { CertificateRenderer } from "../certificates/certificate-renderer";
import { StorageService } from "../storage/storage.service";
import { AuthedRequest } from "../auth/types";

@Controller("tasks")
@UseGuards(JwtAuthGuard)
export class CanalVolunteerTasksController {
  constructor(
    @InjectRepository(VolunteerTask) private readonly tasks: Repository<VolunteerTask>,
    @InjectRepository(Volunteer) private readonly volunteers: Repository<Volunteer>,
    private readonly certificates: CertificateRenderer,
    private readonly storage: StorageService,
  ) {}

  @Get()
  async list(@Req() req: AuthedRequest, @Query("page") page = "1") {
    const take = 25;
    const skip = (Math.max(parseInt(page, 10) || 1, 1) - 1) * take;
    const [items, total] = await this.tasks.findAndCount({
      where: { trustId: req.user.trustId },
      order: { workDate: "DESC" },
      take,
      skip,
    });
    return { items, total, page: Number(page) };
  }

  @Get(":taskId")
  async detail(@Req() req: AuthedRequest, @Param("taskId", ParseIntPipe) taskId: number) {
    const task = await this.tasks.findOne({ where: { id: taskId }, relations: { lock: true, leader: true } });
    if (!task) throw new NotFoundException();
    return task;
  }

  /**
   * End-of-season thank-you certificates: one PDF per volunteer showing hours
   * worked on each lock and pound, bundled into a zip the trust can download.
   */
  @Post("season/:season/certificates")
  async seasonCertificates(@Req() req: AuthedRequest, @Param("season", ParseIntPipe) season: number) {
    const trustId = req.user.trustId;

    const hours: Array<{ volunteerId: number; lockName: string; hours: number }> = await this.tasks
      .createQueryBuilder("t")
      .innerJoin("t.attendance", "a")
      .innerJoin("t.lock", "l")
      .select("a.volunteerId", "volunteerId")
      .addSelect("l.name", "lockName")
      .addSelect("SUM(a.hours)", "hours")
      .where("t.trustId = :trustId AND t.season = :season", { trustId, season })
      .groupBy("a.volunteerId")
      .addGroupBy("l.name")
      .getRawMany();

    const people = await this.volunteers.find({ where: { trustId }, select: ["id", "fullName"] });

    const zipStream = new PassThrough();
    const zip = archiver("zip");
    zip.pipe(zipStream);
    const upload = this.storage.putStream(`trusts/${trustId}/certificates-${season}.zip`, zipStream);

    // typically 300-900 volunteers per trust; each PDF takes 0.5-1.5 s to lay out
    for (const person of people) {
      const rows = hours.filter((h) => h.volunteerId === person.id);
      if (rows.length === 0) continue;
      const pdf = await this.certificates.renderSeasonPdf({ name: person.fullName, season, rows });
      zip.append(pdf, { name: `${person.fullName.replace(/[^\w]+/g, "_")}-${season}.pdf` });
    }

    await zip.finalize();
    const url = await upload;
    return { season, downloadUrl: url };
  }
}
