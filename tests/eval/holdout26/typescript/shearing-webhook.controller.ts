import {
  BadRequestException,
  Controller,
  Headers,
  HttpCode,
  Logger,
  Post,
  RawBodyRequest,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Request } from 'express';

// The shearing team's field app (ShearLog) posts an event when a visit to a
// member farm is finished. We bill the farm per animal shorn. ShearLog
// delivers at-least-once and retries for 48h on any non-2xx.
// main.ts: NestFactory.create(AppModule, { rawBody: true })

interface VisitCompletedEvent {
  id: string; // unique per event, stable across redeliveries
  type: 'visit.completed';
  data: { visitId: string; farmId: string; animalsShorn: number; crutchedOnly: number };
}

@Controller('webhooks/shearlog')
export class ShearingWebhookController {
  private readonly logger = new Logger(ShearingWebhookController.name);

  constructor(private readonly dataSource: DataSource) {}

  private verify(raw: Buffer, signature: string | undefined) {
    const expected = createHmac('sha256', process.env.SHEARLOG_WEBHOOK_SECRET ?? '').update(raw).digest();
    const given = Buffer.from(signature ?? '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UnauthorizedException('bad signature');
    }
  }

  @Post()
  @HttpCode(200)
  async handleShearLogEvent(
    @Req() req: RawBodyRequest<Request>,
    @Headers('x-shearlog-signature') signature?: string,
  ) {
    if (!req.rawBody) throw new BadRequestException('missing body');
    this.verify(req.rawBody, signature);

    const event = JSON.parse(req.rawBody.toString('utf8')) as VisitCompletedEvent;
    if (event.type !== 'visit.completed') return { ignored: event.type };

    const applied = await this.dataSource.transaction(async (manager) => {
      // Record the event id first; a redelivery hits the primary key and does nothing.
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO webhook_events (source, event_id, received_at)
         VALUES ('shearlog', $1, now())
         ON CONFLICT (source, event_id) DO NOTHING
         RETURNING event_id`,
        [event.id],
      );
      if (inserted.length === 0) return false;

      const { visitId, farmId, animalsShorn, crutchedOnly } = event.data;
      await manager.query(
        `UPDATE shearing_visits
            SET status = 'completed', animals_shorn = $3, crutched_only = $4, completed_at = now()
          WHERE id = $1 AND farm_id = $2`,
        [visitId, farmId, animalsShorn, crutchedOnly],
      );
      await manager.query(
        `INSERT INTO farm_invoice_lines (farm_id, visit_id, description, quantity, unit_price_cents)
         SELECT $1, $2, 'Full shear', $3, r.full_shear_cents FROM shearing_rates r WHERE r.current
         UNION ALL
         SELECT $1, $2, 'Crutch / toenails only', $4, r.crutch_cents FROM shearing_rates r WHERE r.current`,
        [farmId, visitId, animalsShorn, crutchedOnly],
      );
      return true;
    });

    if (!applied) {
      this.logger.log(`duplicate ShearLog event ${event.id}, already applied`);
    }
    return { received: true, duplicate: !applied };
  }
}
