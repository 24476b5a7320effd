import {
  BadRequestException,
  Controller,
  Headers,
  HttpCode,
  Logger,
  Post,
  RawBodyRequest,
  Req,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Request } from 'express';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { StripeService } from './stripe.service';

@Controller('webhooks')
export class PaymentWebhookController {
  private readonly logger = new Logger(PaymentWebhookController.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue('fulfillment') private readonly fulfillmentQueue: Queue,
    private readonly stripe: StripeService,
  ) {}

  @Post('stripe')
  @HttpCode(200)
  async handleStripe(
    @Req() req: RawBodyRequest<Request>,
    @Headers('stripe-signature') signature: string,
  ) {
    let event: Stripe.Event;
    try {
      event = this.stripe.constructEvent(req.rawBody!, signature);
    } catch (err) {
      this.logger.warn(`rejected webhook: ${(err as Error).message}`);
      throw new BadRequestException('invalid signature');
    }

    const paidOrderId = await this.dataSource.transaction(async (manager) => {
      // Stripe delivers at least once; the primary key on event_id makes redeliveries no-ops.
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO processed_stripe_events (event_id, type)
         VALUES ($1, $2)
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [event.id, event.type],
      );
      if (inserted.length === 0) {
        this.logger.log(`duplicate delivery of ${event.id}, ignoring`);
        return null;
      }

      switch (event.type) {
        case 'payment_intent.succeeded': {
          const intent = event.data.object as Stripe.PaymentIntent;
          const rows: { id: string }[] = await manager.query(
            `UPDATE orders SET status = 'paid', paid_at = now()
              WHERE payment_intent_id = $1 AND status = 'pending'
              RETURNING id`,
            [intent.id],
          );
          return rows[0]?.id ?? null;
        }
        case 'charge.refunded': {
          const charge = event.data.object as Stripe.Charge;
          await manager.query(
            `UPDATE orders SET status = 'refunded', refunded_at = now()
              WHERE payment_intent_id = $1 AND status IN ('paid', 'fulfilled')`,
            [charge.payment_intent],
          );
          return null;
        }
        default:
          return null;
      }
    });

    if (paidOrderId) {
      // jobId = order id, so a second enqueue of the same order is ignored by BullMQ
      await this.fulfillmentQueue.add('fulfil', { orderId: paidOrderId }, { jobId: `order-${paidOrderId}` });
    }
    return { received: true };
  }
}
