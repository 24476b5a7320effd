/**
 * Here's a production-ready version of the donations webhook with proper idempotency.
 *
 * What changed compared to your original:
 *  1. Every Stripe event id is recorded in `processed_webhook_events` (primary key = event id)
 *     inside the same transaction that applies the donation, so a redelivered event is a no-op.
 *  2. The drive total is incremented atomically (`{ increment }`) instead of read-modify-write.
 *  3. Unexpected errors are logged and rethrown, so Nest returns 500 and Stripe retries.
 *
 * Remember to bootstrap with `NestFactory.create(AppModule, { rawBody: true })`.
 */
import {
  BadRequestException,
  Controller,
  Headers,
  HttpCode,
  Injectable,
  Logger,
  Post,
  RawBodyRequest,
  Req,
} from '@nestjs/common';
import { Prisma } from '@prisma/client';
import type { Request } from 'express';
import Stripe from 'stripe';
import { PrismaService } from '../prisma/prisma.service';

type Outcome = 'applied' | 'duplicate' | 'ignored';

@Injectable()
export class DonationEventsService {
  private readonly logger = new Logger(DonationEventsService.name);

  constructor(private readonly prisma: PrismaService) {}

  async handle(event: Stripe.Event): Promise<Outcome> {
    if (event.type !== 'checkout.session.completed') return 'ignored';

    const session = event.data.object as Stripe.Checkout.Session;
    const driveId = session.metadata?.driveId;
    const amount = session.amount_total;
    if (!driveId || amount == null) {
      this.logger.warn(`event ${event.id} has no driveId/amount, ignoring`);
      return 'ignored';
    }

    try {
      await this.prisma.$transaction(async (tx) => {
        await tx.processedWebhookEvent.create({ data: { id: event.id, type: event.type } });
        await tx.donation.create({
          data: {
            driveId,
            amountCents: amount,
            stripeSessionId: session.id,
            donorEmail: session.customer_details?.email ?? null,
          },
        });
        await tx.donationDrive.update({
          where: { id: driveId },
          data: { raisedCents: { increment: amount }, donorCount: { increment: 1 } },
        });
      });
      return 'applied';
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        this.logger.log(`duplicate delivery of ${event.id}, skipping`);
        return 'duplicate';
      }
      this.logger.error(`failed to apply ${event.id}`, (err as Error).stack);
      throw err;
    }
  }
}

@Controller('webhooks')
export class StripeWebhookController {
  private readonly stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {
    apiVersion: '2024-06-20',
    timeout: 10_000,
    maxNetworkRetries: 2,
  });

  constructor(private readonly events: DonationEventsService) {}

  @Post('stripe')
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature: string) {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(req.rawBody!, signature, process.env.STRIPE_WEBHOOK_SECRET!);
    } catch (err) {
      throw new BadRequestException(`invalid signature: ${(err as Error).message}`);
    }

    const outcome = await this.events.handle(event);
    return { received: true, outcome };
  }
}

// Prisma schema addition:
//   model ProcessedWebhookEvent {
//     id          String   @id          // Stripe event id, e.g. evt_1Pz...
//     type        String
//     processedAt DateTime @default(now())
//   }
