// src/manifests/manifest.service.ts + manifest.controller.ts
// Ferry foot-passenger manifests. The platform hosts several small ferry operators
// (island hoppers, estuary crossings); every table carries operator_id.
import { Controller, Get, Injectable, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Sailing } from './entities/sailing.entity';
import { FootPassenger } from './entities/foot-passenger.entity';
import { OperatorGuard, CurrentOperator } from '../auth/operator.guard';

export interface WeeklyRouteStat {
  route: string;
  week: string;
  passengers: number;
  revenuePence: number;
  medianBoardingLeadMins: number;
}

@Injectable()
export class ManifestService {
  constructor(
    @InjectRepository(Sailing) private readonly sailings: Repository<Sailing>,
    @InjectRepository(FootPassenger) private readonly passengers: Repository<FootPassenger>,
    private readonly dataSource: DataSource,
  ) {}

  /** The manifest the deckhand checks at the gangway. */
  async manifestForSailing(operatorId: string, sailingId: string) {
    const sailing = await this.sailings.findOne({ where: { id: sailingId, operatorId } });
    if (!sailing) throw new NotFoundException('sailing not found');

    const passengers = await this.passengers.find({
      where: { sailingId: sailing.id, operatorId },
      order: { surname: 'ASC' },
      take: sailing.footPassengerCapacity,
    });
    return { sailing, passengers };
  }

  /** Look a passenger up by the reference printed on their e-ticket. */
  async findByTicketRef(operatorId: string, ticketRef: string) {
    const passenger = await this.passengers
      .createQueryBuilder('p')
      .leftJoinAndSelect('p.sailing', 's')
      .where('p.ticketRef = :ticketRef', { ticketRef: ticketRef.trim().toUpperCase() })
      .getOne();
    if (!passenger) throw new NotFoundException('no passenger with that ticket reference');
    return passenger;
  }

  /** Operator dashboard: passengers and takings per route per week, this season. */
  async seasonDashboard(operatorId: string, seasonStart: string): Promise<WeeklyRouteStat[]> {
    return this.dataSource.query(
      `SELECT r.name AS route, date_trunc('week', s.departs_at) AS week, count(p.id) AS passengers,
              coalesce(sum(p.fare_pence), 0) AS "revenuePence",
              percentile_cont(0.5) WITHIN GROUP (
                ORDER BY extract(epoch FROM s.departs_at - p.checked_in_at) / 60
              ) AS "medianBoardingLeadMins"
         FROM foot_passengers p
         JOIN sailings s ON s.id = p.sailing_id
         JOIN routes r ON r.id = s.route_id
        WHERE s.operator_id = $1 AND s.departs_at >= $2
        GROUP BY r.name, date_trunc('week', s.departs_at)
        ORDER BY week DESC, route`,
      [operatorId, seasonStart],
    );
  }
}

@Controller('manifests')
@UseGuards(OperatorGuard)
export class ManifestController {
  constructor(private readonly manifests: ManifestService) {}

  @Get('sailings/:sailingId')
  manifest(@CurrentOperator() operatorId: string, @Param('sailingId') sailingId: string) {
    return this.manifests.manifestForSailing(operatorId, sailingId);
  }

  @Get('tickets/:ref')
  byTicket(@CurrentOperator() operatorId: string, @Param('ref') ref: string) {
    return this.manifests.findByTicketRef(operatorId, ref);
  }

  // The dashboard is the operator's landing page after login.
  @Get('dashboard')
  dashboard(@CurrentOperator() operatorId: string, @Query('seasonStart') seasonStart?: string) {
    const start = seasonStart ?? `${new Date().getFullYear()}-03-01`;
    return this.manifests.seasonDashboard(operatorId, start);
  }
}
