// app/groups/[groupId]/press-days/page.tsx
// Community orchard pressing days. Each orchard group only sees its own
// days; the season totals come from press_day_summaries, which the nightly
// job refreshes, so this page never aggregates the litres log itself.
import { notFound, redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { getServerSession } from 'next-auth';
import { prisma } from '@/lib/prisma';
import { authOptions } from '@/lib/auth';
import { formatDate } from '@/lib/format';

const PAGE_SIZE = 12;

async function bookPressSlot(formData: FormData) {
  'use server';
  const session = await getServerSession(authOptions);
  if (!session?.user) redirect('/login');

  const pressDayId = Number(formData.get('pressDayId'));
  const groupId = session.user.groupId;

  // Take a slot only if one is left; the unique (pressDayId, memberId) index
  // rejects a second booking by the same member.
  await prisma.$transaction(async (tx) => {
    const res = await tx.pressDay.updateMany({
      where: { id: pressDayId, groupId, slotsLeft: { gt: 0 } },
      data: { slotsLeft: { decrement: 1 } },
    });
    if (res.count === 0) throw new Error('That pressing day is full');
    await tx.pressBooking.create({ data: { pressDayId, groupId, memberId: session.user.id } });
  });
  revalidatePath(`/groups/${groupId}/press-days`);
}

export default async function PressDaysPage({
  params,
  searchParams,
}: {
  params: { groupId: string };
  searchParams: { page?: string };
}) {
  const session = await getServerSession(authOptions);
  if (!session?.user) redirect('/login');
  if (session.user.groupId !== params.groupId) notFound();

  const page = Math.max(1, Number(searchParams.page) || 1);

  const [days, summary] = await Promise.all([
    prisma.pressDay.findMany({
      where: { groupId: params.groupId, date: { gte: new Date() } },
      orderBy: { date: 'asc' },
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, date: true, venue: true, slotsLeft: true, pressType: true },
    }),
    prisma.pressDaySummary.findUnique({ where: { groupId: params.groupId } }),
  ]);

  return (
    <section className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Pressing days</h1>
        {summary && (
          <p className="text-sm text-stone-600">
            This season: {summary.litresPressed.toLocaleString('en-GB')} litres from{' '}
            {summary.applesKg.toLocaleString('en-GB')} kg of apples ({summary.refreshedAt.toLocaleDateString('en-GB')}).
          </p>
        )}
      </header>

      <ul className="divide-y rounded-lg border bg-white">
        {days.map((day) => (
          <li key={day.id} className="flex items-center justify-between p-4">
            <div>
              <p className="font-medium">{formatDate(day.date)}</p>
              <p className="text-sm text-stone-600">
                {day.venue} · {day.pressType === 'RACK_AND_CLOTH' ? 'Rack-and-cloth press' : 'Hydropress'}
              </p>
            </div>
            <form action={bookPressSlot}>
              <input type="hidden" name="pressDayId" value={day.id} />
              <button
                type="submit"
                disabled={day.slotsLeft === 0}
                className="rounded bg-green-700 px-3 py-1.5 text-sm text-white disabled:bg-stone-300"
              >
                {day.slotsLeft === 0 ? 'Full' : `Book (${day.slotsLeft} left)`}
              </button>
            </form>
          </li>
        ))}
      </ul>

      <nav className="flex justify-between text-sm">
        {page > 1 ? <a href={`?page=${page - 1}`}>← Earlier</a> : <span />}
        {days.length === PAGE_SIZE && <a href={`?page=${page + 1}`}>Later →</a>}
      </nav>
    </section>
  );
}
