// app/listings/[id]/page.tsx
import { notFound, redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { auth } from '@/auth';
import { prisma } from '@/lib/prisma';
import { formatCents } from '@/lib/money';

const FRAUD_API = process.env.FRAUD_API_URL!;

export default async function ListingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const listing = await prisma.listing.findUnique({
    where: { id },
    include: { event: true, seller: { select: { displayName: true, rating: true } } },
  });
  if (!listing) notFound();

  async function buyWithWallet() {
    'use server';
    const session = await auth();
    if (!session?.user) redirect('/login');
    const buyerId = session.user.id;

    const current = await prisma.listing.findUnique({ where: { id } });
    if (!current || current.status !== 'ACTIVE') {
      throw new Error('This listing is no longer available');
    }
    if (current.sellerId === buyerId) throw new Error('You cannot buy your own tickets');

    const verdict = await fetch(`${FRAUD_API}/v1/score`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': process.env.FRAUD_API_KEY! },
      body: JSON.stringify({ buyerId, listingId: id, amountCents: current.priceCents }),
    }).then((r) => r.json() as Promise<{ decision: 'allow' | 'review' | 'deny' }>);
    if (verdict.decision === 'deny') throw new Error('Purchase could not be completed');

    const wallet = await prisma.wallet.findUnique({ where: { userId: buyerId } });
    if (!wallet || wallet.balanceCents < current.priceCents) {
      throw new Error('Insufficient wallet balance');
    }

    await prisma.$transaction([
      prisma.wallet.update({
        where: { userId: buyerId },
        data: { balanceCents: wallet.balanceCents - current.priceCents },
      }),
      prisma.listing.update({
        where: { id },
        data: { status: 'SOLD', buyerId, soldAt: new Date() },
      }),
      prisma.order.create({
        data: {
          listingId: id,
          buyerId,
          sellerId: current.sellerId,
          amountCents: current.priceCents,
          needsReview: verdict.decision === 'review',
        },
      }),
    ]);

    revalidatePath(`/listings/${id}`);
    redirect('/account/orders');
  }

  return (
    <main className="mx-auto max-w-2xl p-6">
      <h1 className="text-2xl font-bold">{listing.event.name}</h1>
      <p className="text-gray-600">
        {new Date(listing.event.startsAt).toLocaleString()} · {listing.event.venue}
      </p>
      <section className="mt-4 rounded border p-4">
        <p>
          Section {listing.section}, row {listing.row} · {listing.quantity} ticket(s)
        </p>
        <p className="text-xl font-semibold">{formatCents(listing.priceCents)}</p>
        <p className="text-sm">
          Sold by {listing.seller.displayName} ({listing.seller.rating.toFixed(1)}★)
        </p>
      </section>
      {listing.status === 'ACTIVE' ? (
        <form action={buyWithWallet}>
          <button className="mt-4 rounded bg-indigo-600 px-4 py-2 text-white">Buy with wallet</button>
        </form>
      ) : (
        <p className="mt-4 font-medium text-red-600">Sold</p>
      )}
    </main>
  );
}
