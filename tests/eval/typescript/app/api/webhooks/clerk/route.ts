import { headers } from 'next/headers';
import { Webhook } from 'svix';
import { prisma } from '@/lib/prisma';

type ClerkEvent = { type: string; data: { id: string; email_addresses: { email_address: string }[] } };

export async function POST(req: Request) {
  const payload = await req.text();
  const h = await headers();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  let evt: ClerkEvent;
  try {
    evt = wh.verify(payload, {
      'svix-id': h.get('svix-id')!,
      'svix-timestamp': h.get('svix-timestamp')!,
      'svix-signature': h.get('svix-signature')!,
    }) as ClerkEvent;
  } catch {
    return new Response('invalid signature', { status: 400 });
  }

  if (evt.type === 'user.created') {
    await prisma.user.create({
      data: { clerkId: evt.data.id, email: evt.data.email_addresses[0]?.email_address ?? '' },
    });
    await prisma.auditEvent.create({ data: { kind: 'signup', subject: evt.data.id } });
  }
  return new Response('ok');
}
