// src/deck/deck-booking.service.ts  (+ controller at the bottom, pasted together)
// Ferry car-deck bookings: a vehicle needs lane metres on a sailing. We hold space
// for 15 minutes while the customer pays, then convert the hold into a booking.
import {
  Body, ConflictException, Controller, GoneException, Injectable, NotFoundException, Param, Post,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Sailing } from './entities/sailing.entity';
import { DeckHold } from './entities/deck-hold.entity';
import { DeckBooking } from './entities/deck-booking.entity';

const HOLD_MINUTES = 15;

@Injectable()
export class DeckBookingService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Sailing) private readonly sailings: Repository<Sailing>,
    @InjectRepository(DeckHold) private readonly holds: Repository<DeckHold>,
  ) {}

  /** Reserve lane metres on the car deck while the customer completes payment. */
  async holdSpace(sailingId: string, vehicleReg: string, lengthM: number) {
    const sailing = await this.sailings.findOne({ where: { id: sailingId } });
    if (!sailing) throw new NotFoundException('sailing not found');

    const [{ used }] = await this.dataSource.query(
      `SELECT COALESCE((SELECT SUM(length_m) FROM deck_bookings WHERE sailing_id = $1), 0)
            + COALESCE((SELECT SUM(length_m) FROM deck_holds WHERE sailing_id = $1 AND hold_until > now()), 0) AS used`,
      [sailingId],
    );
    if (Number(used) + lengthM > sailing.deckLaneMeters) {
      throw new ConflictException('The car deck is full on this sailing');
    }

    const holdUntil = new Date(Date.now() + HOLD_MINUTES * 60_000);
    const hold = await this.holds.save(this.holds.create({ sailingId, vehicleReg, lengthM, holdUntil }));
    return { holdId: hold.id, holdUntil };
  }

  /** Payment succeeded: turn the hold into a booking. */
  async confirm(holdId: string, paymentRef: string) {
    return this.dataSource.transaction(async (em) => {
      const hold = await em.findOne(DeckHold, { where: { id: holdId }, lock: { mode: 'pessimistic_write' } });
      if (!hold) throw new NotFoundException('hold not found');
      if (hold.holdUntil.getTime() < Date.now()) throw new GoneException('hold expired, please start again');

      const booking = em.create(DeckBooking, {
        sailingId: hold.sailingId,
        vehicleReg: hold.vehicleReg,
        lengthM: hold.lengthM,
        paymentRef,
      });
      await em.save(booking);
      await em.delete(DeckHold, { id: hold.id });
      return booking;
    });
  }
}

class HoldDto {
  vehicleReg!: string;
  lengthM!: number;
}

@Controller('sailings/:sailingId/deck')
export class DeckBookingController {
  constructor(private readonly deck: DeckBookingService) {}

  @Post('holds')
  hold(@Param('sailingId') sailingId: string, @Body() dto: HoldDto) {
    return this.deck.holdSpace(sailingId, dto.vehicleReg.toUpperCase(), dto.lengthM);
  }

  @Post('holds/:holdId/confirm')
  confirm(@Param('holdId') holdId: string, @Body('paymentRef') paymentRef: string) {
    return this.deck.confirm(holdId, paymentRef);
  }
}
