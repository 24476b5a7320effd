// src/parking/api.ts — SkyPark booking API (Express + Knex)
import express, { Request, Response, NextFunction } from 'express';
import Stripe from 'stripe';
import { knex } from '../db';
import { priceStay, PricingInput } from './pricing';
import { logger } from '../logger';

export const router = express.Router();

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: '2023-10-16', timeout: 10_000, maxNetworkRetries: 2 });

interface Quote {
  lotId: string;
  arriveAt: string;
  departAt: string;
  vehicle: 'car' | 'suv' | 'oversize';
  totalCents: number;
  expiresAt: number;
}

// pricing walks the rate table + surge rules, so remember quotes we've already computed
const quoteCache = new Map<string, Quote>();

async function getQuote(input: PricingInput): Promise<Quote> {
  const key = `${input.lotId}|${input.arriveAt}|${input.departAt}|${input.vehicle}`;
  const existing = quoteCache.get(key);
  if (existing && existing.expiresAt > Date.now()) return existing;

  const totalCents = await priceStay(knex, input);
  const quote: Quote = { ...input, totalCents, expiresAt: Date.now() + 15 * 60_000 };
  quoteCache.set(key, quote);
  return quote;
}

router.get('/quotes', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { lotId, arriveAt, departAt, vehicle = 'car' } = req.query as Record<string, string>;
    if (!lotId || !arriveAt || !departAt) return res.status(400).json({ error: 'lotId, arriveAt, departAt required' });
    res.json(await getQuote({ lotId, arriveAt, departAt, vehicle: vehicle as Quote['vehicle'] }));
  } catch (err) {
    next(err);
  }
});

router.post('/reservations', express.json(), async (req: Request, res: Response, next: NextFunction) => {
  try {
    const quote = await getQuote(req.body);
    const [resv] = await knex('reservations')
      .insert({
        lot_id: quote.lotId,
        arrive_at: quote.arriveAt,
        depart_at: quote.departAt,
        vehicle: quote.vehicle,
        total_cents: quote.totalCents,
        email: req.body.email,
        plate: req.body.plate,
        status: 'awaiting_payment',
      })
      .returning(['id']);

    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', unit_amount: quote.totalCents, product_data: { name: 'Airport parking' } }, quantity: 1 }],
      metadata: { reservationId: String(resv.id) },
      success_url: `${process.env.SITE_URL}/booked/${resv.id}`,
      cancel_url: `${process.env.SITE_URL}/book`,
    });
    res.status(201).json({ reservationId: resv.id, checkoutUrl: session.url });
  } catch (err) {
    next(err);
  }
});

// Stripe -> us. Registered before any json body parser so the signature can be checked on the raw body.
router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req: Request, res: Response) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    logger.warn({ err }, 'bad stripe signature');
    return res.status(400).send('invalid signature');
  }

  if (event.type === 'checkout.session.completed') {
    const s = event.data.object as Stripe.Checkout.Session;
    const reservationId = s.metadata!.reservationId;
    const resv = await knex('reservations').where({ id: reservationId }).first();

    await knex.transaction(async (trx) => {
      await trx('reservations').where({ id: reservationId }).update({ status: 'confirmed', paid_at: knex.fn.now() });
      await trx('lot_days')
        .where('lot_id', resv.lot_id)
        .whereBetween('day', [resv.arrive_at, resv.depart_at])
        .decrement('spaces_left', 1);
      await trx('loyalty_ledger').insert({ email: resv.email, points: Math.floor(resv.total_cents / 100), reason: 'parking' });
    });
    logger.info({ reservationId }, 'reservation confirmed');
  }

  res.json({ received: true });
});
