// app/api/print-orders/route.ts
// Storefront checkout -> creates the order and hands it to the print partner.
import { NextRequest, NextResponse } from 'next/server';
import { PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { auth } from '@/lib/auth';

const OrderSchema = z.object({
  shopId: z.string().uuid(),
  items: z.array(z.object({ productId: z.string(), variantId: z.string(), qty: z.number().int().min(1).max(20) })).min(1).max(50),
  shipping: z.object({ name: z.string(), line1: z.string(), city: z.string(), zip: z.string(), country: z.string().length(2) }),
});

type PrintLine = { sku: string; artworkUrl: string; qty: number };

async function submitToPrintProvider(orderId: string, lines: PrintLine[], shipping: z.infer<typeof OrderSchema>['shipping']) {
  const res = await fetch(`${process.env.PRINT_API_URL}/orders`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.PRINT_API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ external_id: orderId, recipient: shipping, items: lines }),
  });
  if (!res.ok) throw new Error(`print provider rejected order ${orderId}: ${res.status}`);
  return (await res.json()) as { id: number; status: string };
}

export async function POST(req: NextRequest) {
  const session = await auth();
  if (!session?.user) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });

  const parsed = OrderSchema.safeParse(await req.json());
  if (!parsed.success) return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  const body = parsed.data;

  const prisma = new PrismaClient();
  try {
    const lines: PrintLine[] = [];
    let totalCents = 0;
    for (const item of body.items) {
      const variant = await prisma.variant.findFirst({
        where: { id: item.variantId, productId: item.productId, product: { shopId: body.shopId, published: true } },
        include: { product: { select: { artworkUrl: true } } },
      });
      if (!variant) return NextResponse.json({ error: `unknown item ${item.variantId}` }, { status: 400 });
      totalCents += variant.priceCents * item.qty;
      lines.push({ sku: variant.providerSku, artworkUrl: variant.product.artworkUrl, qty: item.qty });
    }

    const order = await prisma.order.create({
      data: {
        shopId: body.shopId,
        customerId: session.user.id,
        totalCents,
        status: 'submitted',
        items: { create: body.items.map((i) => ({ variantId: i.variantId, qty: i.qty })) },
      },
    });

    const provider = await submitToPrintProvider(order.id, lines, body.shipping);
    await prisma.order.update({ where: { id: order.id }, data: { providerOrderId: String(provider.id) } });

    return NextResponse.json({ orderId: order.id, status: provider.status }, { status: 201 });
  } finally {
    await prisma.$disconnect();
  }
}
