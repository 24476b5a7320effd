import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { VanRoute } from './entities/van-route.entity';
import { RouteStop } from './entities/route-stop.entity';
import { Loan } from './entities/loan.entity';
import { StopVisit } from './entities/stop-visit.entity';

export interface StopSummary {
  stopId: number;
  placeName: string;
  arrivesAt: string;
  minutesParked: number;
  activeLoans: number;
  overdueLoans: number;
}

/**
 * Mobile library van routes for the county library service. The van does a
 * four-weekly cycle of around 30 routes; each stop is a village green, pub
 * car park or school gate where it parks for 15–40 minutes.
 */
@Injectable()
export class LibraryVanRoutesService {
  constructor(
    @InjectRepository(VanRoute) private readonly routes: Repository<VanRoute>,
    @InjectRepository(RouteStop) private readonly stops: Repository<RouteStop>,
    @InjectRepository(Loan) private readonly loans: Repository<Loan>,
    @InjectRepository(StopVisit) private readonly visits: Repository<StopVisit>,
  ) {}

  /** Timetable card for a route, with loan figures for each stop. */
  async routeTimetable(routeId: number): Promise<{ route: VanRoute; stops: StopSummary[] }> {
    const route = await this.routes.findOne({ where: { id: routeId } });
    if (!route) throw new NotFoundException(`Route ${routeId} not found`);

    const stops = await this.stops.find({
      where: { routeId },
      order: { position: 'ASC' },
    });

    const today = new Date();
    const summaries: StopSummary[] = [];
    for (const stop of stops) {
      const active = await this.loans.find({ where: { stopId: stop.id, returnedAt: IsNull() }, select: { id: true, dueBack: true } });
      summaries.push({
        stopId: stop.id,
        placeName: stop.placeName,
        arrivesAt: stop.arrivesAt,
        minutesParked: stop.minutesParked,
        activeLoans: active.length,
        overdueLoans: active.filter((l) => l.dueBack < today).length,
      });
    }

    return { route, stops: summaries };
  }

  /** Visit log for a stop: used by the "how busy is this stop" chart. */
  async visitHistory(stopId: number): Promise<StopVisit[]> {
    const stop = await this.stops.findOne({ where: { id: stopId } });
    if (!stop) throw new NotFoundException(`Stop ${stopId} not found`);

    return this.visits.find({ where: { stopId }, order: { visitedAt: 'DESC' } });
  }

  /** Driver marks the van as arrived at a stop from the cab tablet. */
  async recordArrival(stopId: number, driverId: number): Promise<StopVisit> {
    const visit = this.visits.create({
      stopId,
      driverId,
      visitedAt: new Date(),
      borrowers: 0,
      itemsIssued: 0,
      itemsReturned: 0,
    });
    return this.visits.save(visit);
  }
}

// van-routes.controller.ts (excerpt)
// @Get('stops/:stopId/visits')
// visitHistory(@Param('stopId', ParseIntPipe) stopId: number) {
//   return this.service.visitHistory(stopId);
// }
