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
import { DataSource } from 'typeorm';
import { Request } from 'express';
import Stripe from 'stripe';

/**
 * Entry fees for the hedge-laying championship are paid through Stripe
 * Checkout. Stripe delivers events at least once, so every event id is
 * recorded in processed_stripe_events (PRIMARY KEY event_id) in the same
 * transaction that marks the entry paid.
 */
@Controller('webhooks')
export class HedgeEntryFeesWebhookController {
  private readonly logger = new Logger(HedgeEntryFeesWebhookController.name);
  private readonly stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { timeout: 10_000, maxNetworkRetries: 2 });

  constructor(private readonly dataSource: DataSource) {}

  @Post('stripe')
  @HttpCode(200)
  async handleStripeEvent(
    @Req() req: RawBodyRequest<Request>,
    @Headers('stripe-signature') signature: string,
  ): Promise<{ received: true; duplicate?: boolean }> {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(req.rawBody!, signature, process.env.STRIPE_WEBHOOK_SECRET!);
    } catch (err) {
      this.logger.warn(`Rejected webhook with bad signature: ${(err as Error).message}`);
      throw new BadRequestException('Invalid signature');
    }

    if (event.type !== 'checkout.session.completed') {
      return { received: true };
    }
    const checkout = event.data.object as Stripe.Checkout.Session;
    const entryId = Number(checkout.metadata?.entry_id);
    const competitionId = Number(checkout.metadata?.competition_id);

    try {
      const applied = await this.dataSource.transaction(async (manager) => {
        const inserted = await manager.query(
          `INSERT INTO processed_stripe_events (event_id, event_type, received_at)
           VALUES ($1, $2, now())
           ON CONFLICT (event_id) DO NOTHING
           RETURNING event_id`,
          [event.id, event.type],
        );
        if (inserted.length === 0) return false; // already handled this delivery

        await manager.query(
          `UPDATE hedge_entries
              SET fee_status = 'paid', paid_pence = $1, stripe_session_id = $2
            WHERE id = $3 AND competition_id = $4`,
          [checkout.amount_total, checkout.id, entryId, competitionId],
        );
        await manager.query(
          `INSERT INTO entry_fee_ledger (competition_id, entry_id, amount_pence, source_event_id)
           VALUES ($1, $2, $3, $4)`,
          [competitionId, entryId, checkout.amount_total, event.id],
        );
        return true;
      });

      if (!applied) {
        this.logger.log(`Duplicate delivery of ${event.id} ignored`);
        return { received: true, duplicate: true };
      }
      this.logger.log(`Entry ${entryId} marked paid from ${event.id}`);
      return { received: true };
    } catch (err) {
      // Let Stripe retry: log with context and rethrow so Nest answers 500.
      this.logger.error(`Failed to apply ${event.id} for entry ${entryId}`, (err as Error).stack);
      throw err;
    }
  }
}
