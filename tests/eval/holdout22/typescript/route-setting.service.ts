// src/route-setting/route-setting.service.ts
// Multi-gym SaaS for climbing walls: setters publish routes on walls, members
// log ascents and vote on grades. Each gym is a tenant (gymId on every table).

import { Injectable, NotFoundException } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { IsNull, Repository } from "typeorm";
import { ClimbingRoute } from "./entities/climbing-route.entity";
import { Ascent } from "./entities/ascent.entity";
import { CreateRouteDto } from "./dto/create-route.dto";

const GRADES = ["4", "5", "5+", "6a", "6a+", "6b", "6b+", "6c", "6c+", "7a", "7a+", "7b"] as const;

@Injectable()
export class RouteSettingService {
  constructor(
    @InjectRepository(ClimbingRoute) private readonly routes: Repository<ClimbingRoute>,
    @InjectRepository(Ascent) private readonly ascents: Repository<Ascent>,
  ) {}

  async publish(gymId: string, setterId: string, dto: CreateRouteDto): Promise<ClimbingRoute> {
    const route = this.routes.create({
      gymId,
      wallId: dto.wallId,
      setterId,
      holdColour: dto.holdColour,
      setterGrade: dto.grade,
      ascentCount: 0,
      gradeVotes: {},
    });
    return this.routes.save(route);
  }

  /** Routes currently on a wall, for the wall map in the member app. */
  async listForWall(gymId: string, wallId: string): Promise<ClimbingRoute[]> {
    return this.routes.find({
      where: { wallId, strippedAt: IsNull() },
      order: { createdAt: "DESC" },
      take: 200,
    });
  }

  /** A member ticks a route and optionally suggests a grade. */
  async logAscent(gymId: string, routeId: string, memberId: string, suggestedGrade?: string) {
    const route = await this.routes.findOneBy({ id: routeId, gymId });
    if (!route || route.strippedAt) {
      throw new NotFoundException("route not on the wall");
    }

    await this.ascents.insert({ gymId, routeId, memberId, climbedAt: new Date() });

    route.ascentCount = route.ascentCount + 1;
    if (suggestedGrade && (GRADES as readonly string[]).includes(suggestedGrade)) {
      const votes = { ...(route.gradeVotes ?? {}) };
      votes[suggestedGrade] = (votes[suggestedGrade] ?? 0) + 1;
      route.gradeVotes = votes;
    }
    await this.routes.save(route);

    return { ascentCount: route.ascentCount, consensusGrade: this.consensus(route) };
  }

  async strip(gymId: string, routeId: string): Promise<void> {
    const result = await this.routes.update(
      { id: routeId, gymId, strippedAt: IsNull() },
      { strippedAt: new Date() },
    );
    if (!result.affected) throw new NotFoundException("route not found");
  }

  private consensus(route: ClimbingRoute): string {
    const entries = Object.entries(route.gradeVotes ?? {});
    if (entries.length === 0) return route.setterGrade;
    entries.sort((a, b) => b[1] - a[1]);
    return entries[0][0];
  }
}
