'use server';

// app/(markets)/matches/[matchId]/actions.ts
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { auth } from '@/auth';

const ODDS_FEED_URL = process.env.ODDS_FEED_URL!;
const MAX_ODDS_DRIFT = 0.05;

const BetInput = z.object({
  matchId: z.string(),
  marketId: z.string(),
  selectionId: z.string(),
  stake: z.coerce.number().positive().max(5000),
  quotedOdds: z.coerce.number().gt(1),
});

async function liveOdds(marketId: string, selectionId: string): Promise<number> {
  const res = await fetch(`${ODDS_FEED_URL}/v3/markets/${marketId}/prices`, {
    headers: { 'x-feed-key': process.env.ODDS_FEED_KEY! },
    cache: 'no-store',
  });
  if (!res.ok) throw new Error(`odds feed ${res.status}`);
  const body: { selections: { id: string; decimal: number; suspended: boolean }[] } = await res.json();
  const sel = body.selections.find((s) => s.id === selectionId);
  if (!sel || sel.suspended) throw new Error('selection suspended');
  return sel.decimal;
}

export async function placeBet(_prev: unknown, formData: FormData) {
  const session = await auth();
  if (!session?.user) return { error: 'Please sign in' };

  const input = BetInput.safeParse(Object.fromEntries(formData));
  if (!input.success) return { error: 'Invalid bet' };
  const { matchId, marketId, selectionId, stake, quotedOdds } = input.data;
  const stakeCents = Math.round(stake * 100);

  const wallet = await prisma.wallet.findUnique({ where: { userId: session.user.id } });
  if (!wallet || wallet.balanceCents < stakeCents) {
    return { error: 'Insufficient balance' };
  }

  let odds: number;
  try {
    odds = await liveOdds(marketId, selectionId);
  } catch (err) {
    console.warn(`odds lookup failed for ${marketId}/${selectionId}`, err);
    return { error: 'Market is suspended, try again in a moment' };
  }
  if (Math.abs(odds - quotedOdds) / quotedOdds > MAX_ODDS_DRIFT) {
    return { error: 'Odds changed', odds };
  }

  await prisma.$transaction([
    prisma.wallet.update({
      where: { userId: session.user.id },
      data: { balanceCents: wallet.balanceCents - stakeCents },
    }),
    prisma.bet.create({
      data: { userId: session.user.id, matchId, marketId, selectionId, stakeCents, odds, status: 'OPEN' },
    }),
  ]);

  revalidatePath(`/matches/${matchId}`);
  return { ok: true, odds };
}

export async function cashOut(betId: string, offerCents: number) {
  const session = await auth();
  if (!session?.user) return { error: 'Please sign in' };

  // flip OPEN -> CASHED_OUT only once, then credit atomically
  const result = await prisma.$transaction(async (tx) => {
    const { count } = await tx.bet.updateMany({
      where: { id: betId, userId: session.user.id, status: 'OPEN' },
      data: { status: 'CASHED_OUT', payoutCents: offerCents },
    });
    if (count !== 1) return false;
    await tx.wallet.update({
      where: { userId: session.user.id },
      data: { balanceCents: { increment: offerCents } },
    });
    return true;
  });

  if (!result) return { error: 'Bet already settled' };
  revalidatePath('/account/bets');
  return { ok: true };
}
