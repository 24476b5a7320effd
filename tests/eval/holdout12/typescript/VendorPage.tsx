// app/vendors/[vendorId]/page.tsx
import { notFound, redirect } from 'next/navigation';
import { revalidateTag, unstable_cache } from 'next/cache';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';
import { auth } from '@/auth';
import { formatPrice, formatSlot } from '@/lib/format';

// Public vendor profile: same for every visitor, cached for 5 minutes and busted on booking.
const getVendor = unstable_cache(
  async (vendorId: string) =>
    prisma.vendor.findUnique({
      where: { id: vendorId },
      include: {
        packages: { orderBy: { priceCents: 'asc' }, take: 20 },
        tastingSlots: {
          where: { startsAt: { gt: new Date() }, seatsLeft: { gt: 0 } },
          orderBy: { startsAt: 'asc' },
          take: 12,
        },
      },
    }),
  ['vendor-profile'],
  { revalidate: 300, tags: ['vendors'] },
);

// The couple's own quote requests to this vendor - private data, so the key has the user id.
const getMyQuoteRequests = (userId: string, vendorId: string) =>
  unstable_cache(
    () =>
      prisma.quoteRequest.findMany({
        where: { userId, vendorId },
        orderBy: { createdAt: 'desc' },
        take: 10,
      }),
    ['quote-requests', userId, vendorId],
    { revalidate: 60, tags: [`quote-requests:${userId}`] },
  )();

async function bookTasting(formData: FormData) {
  'use server';
  const session = await auth();
  if (!session?.user) redirect('/login');
  const vendorId = String(formData.get('vendorId'));
  const slotId = String(formData.get('slotId'));

  let booked = false;
  try {
    booked = await prisma.$transaction(async (tx) => {
      const { count } = await tx.tastingSlot.updateMany({
        where: { id: slotId, vendorId, seatsLeft: { gt: 0 } },
        data: { seatsLeft: { decrement: 1 } },
      });
      if (count === 0) return false;
      // @@unique([slotId, userId]) - a double submit rolls the decrement back
      await tx.tastingBooking.create({ data: { slotId, userId: session.user.id } });
      return true;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      redirect(`/vendors/${vendorId}?tasting=already-booked`);
    }
    throw err;
  }

  revalidateTag('vendors');
  redirect(`/vendors/${vendorId}?tasting=${booked ? 'booked' : 'full'}`);
}

async function saveFavorite(formData: FormData) {
  'use server';
  const session = await auth();
  if (!session?.user) redirect('/login');
  const vendorId = String(formData.get('vendorId'));
  try {
    await prisma.favorite.create({ data: { userId: session.user.id, vendorId } });
  } catch (err) {
    // @@unique([userId, vendorId]): already saved is fine
    if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
  }
  revalidateTag(`favorites:${session.user.id}`);
}

export default async function VendorPage({ params }: { params: { vendorId: string } }) {
  const vendor = await getVendor(params.vendorId);
  if (!vendor) notFound();
  const session = await auth();
  const myRequests = session?.user ? await getMyQuoteRequests(session.user.id, vendor.id) : [];

  return (
    <article className="mx-auto max-w-4xl px-6 py-10">
      <h1 className="font-serif text-4xl">{vendor.name}</h1>
      <p className="mt-2 text-stone-600">{vendor.category} · {vendor.city}</p>

      <form action={saveFavorite} className="mt-4">
        <input type="hidden" name="vendorId" value={vendor.id} />
        <button className="rounded border px-3 py-1 text-sm">♡ Save</button>
      </form>

      <h2 className="mt-10 text-2xl">Packages</h2>
      <ul className="mt-4 space-y-2">
        {vendor.packages.map((p) => <li key={p.id}>{p.name} · {formatPrice(p.priceCents)}</li>)}
      </ul>

      <h2 className="mt-10 text-2xl">Book a tasting</h2>
      {vendor.tastingSlots.map((slot) => (
        <form key={slot.id} action={bookTasting} className="mt-2 flex items-center gap-4">
          <input type="hidden" name="vendorId" value={vendor.id} />
          <input type="hidden" name="slotId" value={slot.id} />
          <span>{formatSlot(slot.startsAt)} · {slot.seatsLeft} seats left</span>
          <button className="rounded bg-rose-700 px-3 py-1 text-white">Book</button>
        </form>
      ))}

      {myRequests.map((q) => (
        <p key={q.id} className="mt-2 text-sm">Your request for {q.eventDate.toDateString()}: {q.status}</p>
      ))}
    </article>
  );
}
