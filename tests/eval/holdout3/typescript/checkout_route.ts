// app/api/checkout/route.ts
import { NextResponse } from 'next/server';
import got from 'got';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma'; // singleton client (globalThis pattern)
import { auth } from '@/auth';

// Created once per server instance, explicit timeouts and a bounded retry policy.
const taxApi = got.extend({
  prefixUrl: process.env.TAX_API_URL,
  headers: { authorization: `Bearer ${process.env.TAX_API_KEY}` },
  timeout: { connect: 2000, request: 5000 },
  retry: { limit: 2, methods: ['POST'], statusCodes: [502, 503, 504] },
  responseType: 'json',
});

type CartLine = { productId: string; quantity: number };

class OutOfStockError extends Error {
  constructor(public productId: string) {
    super(`out of stock: ${productId}`);
  }
}

export async function POST(req: Request) {
  const session = await auth();
  if (!session?.user) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });

  const { lines, shippingAddress } = (await req.json()) as { lines: CartLine[]; shippingAddress: any };
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > 50) {
    return NextResponse.json({ error: 'invalid cart' }, { status: 400 });
  }

  const products = await prisma.product.findMany({
    where: { id: { in: lines.map((l) => l.productId) }, active: true },
    select: { id: true, priceCents: true, taxCode: true },
  });
  const byId = new Map(products.map((p) => [p.id, p]));

  const tax = await taxApi
    .post('v1/quote', {
      json: {
        address: shippingAddress,
        lines: lines.map((l) => ({ ...l, ...byId.get(l.productId) })),
      },
    })
    .json<{ totalTaxCents: number }>();

  try {
    const order = await prisma.$transaction(async (tx) => {
      for (const line of lines) {
        // atomic conditional decrement; count === 0 means not enough stock left
        const { count } = await tx.product.updateMany({
          where: { id: line.productId, stock: { gte: line.quantity } },
          data: { stock: { decrement: line.quantity } },
        });
        if (count === 0) throw new OutOfStockError(line.productId);
      }

      const subtotal = lines.reduce((s, l) => s + (byId.get(l.productId)?.priceCents ?? 0) * l.quantity, 0);
      return tx.order.create({
        data: {
          userId: session.user.id,
          subtotalCents: subtotal,
          taxCents: tax.totalTaxCents,
          status: 'pending_payment',
          lines: { create: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) },
        },
        select: { id: true, subtotalCents: true, taxCents: true },
      });
    });

    return NextResponse.json(order, { status: 201 });
  } catch (err) {
    if (err instanceof OutOfStockError) {
      return NextResponse.json({ error: 'out_of_stock', productId: err.productId }, { status: 409 });
    }
    if (err instanceof Prisma.PrismaClientKnownRequestError) {
      console.error('checkout transaction failed', err.code, err.message);
    }
    throw err;
  }
}
