// app/api/webhooks/github/route.ts
//
// Receives GitHub App webhooks. GitHub retries deliveries and may send the same
// delivery more than once, so we record X-GitHub-Delivery in webhook_deliveries
// (primary key) and only enqueue work for deliveries we have not seen before.
// The actual processing happens in the BullMQ worker (workers/github.ts).

import crypto from 'node:crypto';
import { NextResponse } from 'next/server';
import { Queue } from 'bullmq';
import { prisma } from '@/lib/prisma';
import { redisConnection } from '@/lib/redis';
import { logger } from '@/lib/logger';

export const runtime = 'nodejs';

const githubEvents = new Queue('github-events', {
  connection: redisConnection,
  defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000 },
});

function verifySignature(payload: string, signature: string | null): boolean {
  if (!signature) return false;
  const expected = 'sha256=' + crypto.createHmac('sha256', process.env.GITHUB_WEBHOOK_SECRET!).update(payload).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export async function POST(req: Request) {
  const payload = await req.text();
  if (!verifySignature(payload, req.headers.get('x-hub-signature-256'))) {
    return NextResponse.json({ error: 'bad signature' }, { status: 401 });
  }

  const deliveryId = req.headers.get('x-github-delivery');
  const eventName = req.headers.get('x-github-event');
  if (!deliveryId || !eventName) {
    return NextResponse.json({ error: 'missing delivery headers' }, { status: 400 });
  }

  const inserted = await prisma.$executeRaw`
    INSERT INTO webhook_deliveries (id, source, event, received_at)
    VALUES (${deliveryId}, 'github', ${eventName}, now())
    ON CONFLICT (id) DO NOTHING`;

  if (inserted === 0) {
    logger.info({ deliveryId, eventName }, 'duplicate github delivery ignored');
    return NextResponse.json({ ok: true, duplicate: true });
  }

  try {
    // jobId = delivery id, so a retry after a crash here cannot enqueue twice either
    await githubEvents.add(eventName, { deliveryId, body: JSON.parse(payload) }, { jobId: deliveryId });
  } catch (err) {
    logger.error({ err, deliveryId }, 'failed to enqueue github delivery');
    // let GitHub redeliver: forget the delivery so the retry is accepted
    await prisma.$executeRaw`DELETE FROM webhook_deliveries WHERE id = ${deliveryId}`;
    return NextResponse.json({ error: 'enqueue failed' }, { status: 503 });
  }

  return NextResponse.json({ ok: true }, { status: 202 });
}
