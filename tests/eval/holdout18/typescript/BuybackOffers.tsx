// app/[campus]/buyback/page.tsx
// Campus bookstore buyback board: what the store is paying this week, plus the
// signed-in student's own sell list. Styles come from the compiled Tailwind build.
import './buyback.css';
import Link from 'next/link';
import Script from 'next/script';
import { unstable_cache } from 'next/cache';
import { prisma } from '@/lib/prisma';
import { auth } from '@/lib/auth';

const PAGE_SIZE = 30;

// Same board for every student on a campus -> cached per campus/page, not per user.
const getBoard = unstable_cache(
  async (campusId: string, page: number) =>
    prisma.buybackOffer.findMany({
      where: { campusId, active: true },
      select: { id: true, isbn: true, title: true, edition: true, payoutCents: true },
      orderBy: [{ payoutCents: 'desc' }, { id: 'asc' }],
      take: PAGE_SIZE,
      skip: (page - 1) * PAGE_SIZE,
    }),
  ['buyback-board'],
  { revalidate: 300, tags: ['buyback-board'] },
);

export default async function BuybackPage({
  params,
  searchParams,
}: {
  params: { campus: string };
  searchParams: { page?: string };
}) {
  const page = Math.max(1, Number(searchParams.page) || 1);
  const campus = await prisma.campus.findUniqueOrThrow({ where: { slug: params.campus } });
  const session = await auth();

  const [offers, myList] = await Promise.all([
    getBoard(campus.id, page),
    session
      ? prisma.sellListItem.findMany({
          where: { campusId: campus.id, studentId: session.user.id },
          include: { offer: { select: { title: true, payoutCents: true } } },
          take: 20,
        })
      : Promise.resolve([]),
  ]);

  return (
    <main className="mx-auto max-w-4xl p-6">
      <Script
        src={`https://www.googletagmanager.com/gtag/js?id=${process.env.NEXT_PUBLIC_GA_ID}`}
        strategy="afterInteractive"
      />
      <h1 className="text-2xl font-semibold">{campus.name} textbook buyback</h1>

      {myList.length > 0 && (
        <section className="my-6 rounded border p-4">
          <h2 className="font-medium">Your sell list</h2>
          <ul>
            {myList.map((item) => (
              <li key={item.id}>
                {item.offer.title} - ${(item.offer.payoutCents / 100).toFixed(2)}
              </li>
            ))}
          </ul>
        </section>
      )}

      <table className="w-full text-sm">
        <tbody>
          {offers.map((o) => (
            <tr key={o.id} className="border-b">
              <td className="py-1">{o.title} ({o.edition})</td>
              <td className="font-mono">{o.isbn}</td>
              <td className="text-right">${(o.payoutCents / 100).toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="mt-4 flex gap-4">
        {page > 1 && <Link href={`?page=${page - 1}`}>Previous</Link>}
        {offers.length === PAGE_SIZE && <Link href={`?page=${page + 1}`}>Next</Link>}
      </nav>
    </main>
  );
}
