// src/trips/trips.controller.ts
// Demand-responsive rural bus: passengers request a pick-up window the day before,
// the dispatcher plans the next day's runs for each minibus.

import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query, Req, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { OperatorGuard } from '../auth/operator.guard';
import { TripRequest } from './trip-request.entity';
import { Vehicle } from '../fleet/vehicle.entity';
import { RunPlan } from './run-plan.entity';
import { RouteSolver } from '../planning/route-solver';

interface OperatorRequest { user: { id: number; operatorId: number } }

@Controller('trips')
@UseGuards(OperatorGuard)
export class TripsController {
  constructor(
    @InjectRepository(TripRequest) private readonly trips: Repository<TripRequest>,
    @InjectRepository(Vehicle) private readonly vehicles: Repository<Vehicle>,
    @InjectRepository(RunPlan) private readonly plans: Repository<RunPlan>,
    private readonly solver: RouteSolver,
  ) {}

  @Get()
  async list(@Req() req: OperatorRequest, @Query('date') date: string, @Query('page') page = '0') {
    const take = 50;
    const [items, total] = await this.trips.findAndCount({
      where: { operatorId: req.user.operatorId, serviceDate: date },
      order: { pickupFrom: 'ASC' },
      take,
      skip: Number(page) * take,
    });
    return { items, total };
  }

  @Get(':id')
  async getOne(@Param('id', ParseIntPipe) id: number) {
    const trip = await this.trips.findOne({ where: { id }, relations: { passenger: true } });
    if (!trip) throw new NotFoundException();
    return {
      id: trip.id,
      passenger: trip.passenger.displayName,
      phone: trip.passenger.phone,
      from: trip.pickupStop,
      to: trip.dropoffStop,
      window: [trip.pickupFrom, trip.pickupTo],
      wheelchair: trip.needsRamp,
    };
  }

  /**
   * Build tomorrow's runs. The solver assigns every accepted request to a minibus
   * and orders the stops; a full day for the valley network (~300 requests,
   * 9 vehicles) takes the solver a few minutes.
   */
  @Post('plan')
  async planDay(@Req() req: OperatorRequest, @Body() body: { date: string }) {
    const operatorId = req.user.operatorId;
    const dayStart = new Date(`${body.date}T00:00:00Z`);
    const dayEnd = new Date(`${body.date}T23:59:59Z`);

    const [requests, fleet] = await Promise.all([
      this.trips.find({
        where: { operatorId, status: 'accepted', pickupFrom: Between(dayStart, dayEnd) },
        take: 1000,
      }),
      this.vehicles.find({ where: { operatorId, inService: true } }),
    ]);

    const solution = await this.solver.solve(requests, fleet, { timeLimitSeconds: 240, improvePasses: 50 });

    const saved = await this.plans.save(
      solution.runs.map((run) =>
        this.plans.create({
          operatorId,
          serviceDate: body.date,
          vehicleId: run.vehicleId,
          stops: run.stops,
          plannedKm: run.distanceKm,
        }),
      ),
    );

    return {
      runs: saved.length,
      unassigned: solution.unassigned.map((r) => r.id),
      totalKm: solution.totalKm,
    };
  }
}
