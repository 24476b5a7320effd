import { Controller, Post, Req, Headers, HttpCode, Logger, BadRequestException } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import Stripe from 'stripe';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Charter } from '../charters/charter.entity';
import { Payment } from './payment.entity';
import { MailService } from '../mail/mail.service';

/**
 * Stripe webhook for yacht charter deposits.
 * main.ts: NestFactory.create(AppModule, { rawBody: true })
 */
@Controller('webhooks')
export class DepositsWebhookController {
  private readonly logger = new Logger(DepositsWebhookController.name);
  private readonly stripe = new Stripe(process.env.STRIPE_KEY!, { timeout: 15000 });

  constructor(
    @InjectRepository(Charter) private readonly charters: Repository<Charter>,
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    private readonly mail: MailService,
  ) {}

  @Post('stripe')
  @HttpCode(200)
  async handle(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') sig: string) {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(req.rawBody!, sig, process.env.STRIPE_WEBHOOK_SECRET!);
    } catch (e) {
      throw new BadRequestException('invalid signature');
    }

    try {
      switch (event.type) {
        case 'payment_intent.succeeded': {
          const pi = event.data.object as Stripe.PaymentIntent;
          const charterId = pi.metadata.charterId;

          await this.payments.insert({
            charterId,
            amountCents: pi.amount_received,
            currency: pi.currency,
            stripePaymentIntent: pi.id,
            kind: 'deposit',
          });
          await this.charters.increment({ id: charterId }, 'paidCents', pi.amount_received);
          await this.charters.update({ id: charterId, status: 'pending_deposit' }, { status: 'confirmed' });

          const charter = await this.charters.findOneByOrFail({ id: charterId });
          await this.mail.sendDepositReceipt(charter.customerEmail, charter, pi.amount_received);
          break;
        }
        case 'charge.refunded': {
          const ch = event.data.object as Stripe.Charge;
          await this.charters.decrement({ id: ch.metadata.charterId }, 'paidCents', ch.amount_refunded);
          break;
        }
        default:
          this.logger.debug(`ignoring ${event.type}`);
      }
    } catch (err) {
      return { received: true };
    }

    return { received: true };
  }
}
