// app/api/invoices/[id]/pay/route.ts
//
// Here's a production-ready route handler for applying a payment to an invoice.
// It validates input with zod, charges the card through our payment provider,
// and updates the invoice balance. Helpers are split out so they're easy to test.

import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { getSession } from '@/lib/auth';

const PaySchema = z.object({
  amountCents: z.number().int().positive(),
  paymentMethodId: z.string().min(1),
});

/** Loads the invoice for the current workspace. */
async function loadInvoice(workspaceId: string, invoiceId: string) {
  return prisma.invoice.findFirst({
    where: { id: invoiceId, workspaceId },
    select: { id: true, balanceDueCents: true, amountPaidCents: true, currency: true, status: true },
  });
}

/** Persists the new balance and marks the invoice paid when it reaches zero. */
async function saveBalance(invoiceId: string, balanceDueCents: number, amountPaidCents: number) {
  return prisma.invoice.update({
    where: { id: invoiceId },
    data: {
      balanceDueCents,
      amountPaidCents,
      status: balanceDueCents === 0 ? 'PAID' : 'PARTIALLY_PAID',
    },
  });
}

/** Charges the payment method via the provider's REST API. */
async function charge(paymentMethodId: string, amountCents: number, currency: string, idempotencyKey: string) {
  const res = await fetch('https://api.paylane.example/v1/charges', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${process.env.PAYLANE_SECRET}`,
      'Content-Type': 'application/json',
      'Idempotency-Key': idempotencyKey,
    },
    body: JSON.stringify({ payment_method: paymentMethodId, amount: amountCents, currency }),
  });
  if (!res.ok) throw new Error(`charge failed: ${res.status}`);
  return (await res.json()) as { id: string; status: string };
}

export async function POST(req: NextRequest, { params }: { params: { id: string } }) {
  const session = await getSession();
  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });

  const parsed = PaySchema.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { amountCents, paymentMethodId } = parsed.data;

  // 1. Load the invoice and validate the amount
  const invoice = await loadInvoice(session.workspaceId, params.id);
  if (!invoice) return NextResponse.json({ error: 'Not found' }, { status: 404 });
  if (amountCents > invoice.balanceDueCents) {
    return NextResponse.json({ error: 'Amount exceeds balance due' }, { status: 422 });
  }

  // 2. Charge the card
  const chargeResult = await charge(paymentMethodId, amountCents, invoice.currency, req.headers.get('idempotency-key') ?? crypto.randomUUID());

  // 3. Record the payment and update the balance
  await prisma.payment.create({
    data: { invoiceId: invoice.id, workspaceId: session.workspaceId, amountCents, providerChargeId: chargeResult.id },
  });
  const updated = await saveBalance(
    invoice.id,
    invoice.balanceDueCents - amountCents,
    invoice.amountPaidCents + amountCents,
  );

  return NextResponse.json({ invoiceId: updated.id, balanceDueCents: updated.balanceDueCents, status: updated.status });
}
