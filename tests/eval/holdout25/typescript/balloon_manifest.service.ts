// flights/manifest.service.ts — hot-air balloon flight manifests (NestJS + TypeORM)
// Each balloon operator is a tenant; the JWT carries operatorId.
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Flight } from './flight.entity';
import { ManifestPassenger } from './manifest-passenger.entity';
import { WindModelClient } from '../weather/wind-model.client';

export interface AddPassengerDto {
  fullName: string;
  weightKg: number;
  partyRef: string;
}

@Injectable()
export class ManifestService {
  constructor(
    @InjectRepository(Flight) private readonly flights: Repository<Flight>,
    @InjectRepository(ManifestPassenger) private readonly passengers: Repository<ManifestPassenger>,
    private readonly windModel: WindModelClient,
  ) {}

  async getFlight(operatorId: string, flightId: string): Promise<Flight> {
    const flight = await this.flights.findOne({ where: { id: flightId } });
    if (!flight) throw new NotFoundException('Flight not found');
    return flight;
  }

  async addPassenger(operatorId: string, flightId: string, dto: AddPassengerDto) {
    if (dto.weightKg <= 0 || dto.weightKg > 160) {
      throw new BadRequestException('Weight must be between 1 and 160 kg');
    }
    const flight = await this.getFlight(operatorId, flightId);

    const onBoard = await this.passengers.count({ where: { flightId: flight.id } });
    if (onBoard >= flight.basketCapacity) {
      throw new ConflictException('This flight is fully booked');
    }

    const passenger = this.passengers.create({
      flightId: flight.id,
      operatorId,
      fullName: dto.fullName,
      weightKg: dto.weightKg,
      partyRef: dto.partyRef,
    });
    return this.passengers.save(passenger);
  }

  async listManifest(operatorId: string, flightId: string) {
    return this.passengers.find({
      where: { flightId, operatorId },
      order: { createdAt: 'ASC' },
      take: 32,
    });
  }

  /**
   * Called by POST /flights/:id/finalize from the pilot's tablet before the crew
   * starts inflating. Total lift must stay inside the envelope's rated load for the
   * forecast temperature and wind profile at the launch field.
   */
  async finalize(operatorId: string, flightId: string) {
    const flight = await this.getFlight(operatorId, flightId);
    const manifest = await this.listManifest(operatorId, flightId);
    const payloadKg = manifest.reduce((sum, p) => sum + p.weightKg, flight.pilotWeightKg);

    // Full ensemble run of the local wind model for the launch site (51 members,
    // usually 2–4 minutes on the shared forecasting box).
    const forecast = await this.windModel.runEnsemble({
      lat: flight.launchLat,
      lng: flight.launchLng,
      launchAt: flight.launchAt,
      members: 51,
    });

    const maxPayloadKg = flight.envelopeRatedKg * forecast.liftFactorP10;
    if (payloadKg > maxPayloadKg) {
      throw new ConflictException(
        `Payload ${payloadKg} kg exceeds safe limit ${Math.round(maxPayloadKg)} kg for forecast conditions`,
      );
    }

    flight.status = 'finalized';
    flight.forecastSummary = forecast.summary;
    return this.flights.save(flight);
  }
}
