// app/seed-swap/page.tsx
// Walled garden seed swap: this season's pledges and the "most generous
// gardens" table. Server component; rendered fresh on every visit so new
// pledges show up straight away.

import Script from 'next/script';
import Link from 'next/link';
import { prisma } from '@/lib/prisma';

export const dynamic = 'force-dynamic';

type LeaderRow = {
  garden: string;
  pledges: bigint;
  varieties: bigint;
  heritage_share: number;
  packets_collected: bigint;
};

function currentSeason() {
  const now = new Date();
  return now.getMonth() >= 9 ? now.getFullYear() + 1 : now.getFullYear();
}

export default async function SeedSwapPledgesPage() {
  const season = currentSeason();

  const recent = await prisma.pledge.findMany({
    where: { season },
    orderBy: { createdAt: 'desc' },
    take: 20,
    select: {
      id: true,
      packets: true,
      createdAt: true,
      variety: { select: { commonName: true, latinName: true } },
      garden: { select: { name: true } },
    },
  });

  const leaders = await prisma.$queryRaw<LeaderRow[]>`SELECT g.name AS garden,
           count(DISTINCT p.id)                                   AS pledges,
           count(DISTINCT p.variety_id)                           AS varieties,
           avg(CASE WHEN v.heritage THEN 1.0 ELSE 0.0 END)        AS heritage_share,
           coalesce(sum(c.packets), 0)                            AS packets_collected
      FROM gardens g
      JOIN pledges p             ON p.garden_id = g.id
      JOIN seed_varieties v      ON v.id = p.variety_id
      LEFT JOIN pledge_collections c ON c.pledge_id = p.id
     GROUP BY g.name
     ORDER BY count(DISTINCT p.variety_id) DESC, sum(c.packets) DESC NULLS LAST
     LIMIT 10`;

  return (
    <>
      <Script src="https://cdn.tailwindcss.com" strategy="beforeInteractive" />
      <main className="mx-auto max-w-4xl p-6 font-serif text-stone-800">
        <h1 className="text-3xl mb-4">Seed swap {season}</h1>

        <section className="mb-10">
          <h2 className="text-xl mb-2">Latest pledges</h2>
          <ul className="divide-y divide-stone-200">
            {recent.map((p) => (
              <li key={p.id} className="py-2 flex justify-between">
                <span>
                  {p.variety.commonName} <em className="text-stone-500">{p.variety.latinName}</em>
                </span>
                <span>
                  {p.packets} packets · {p.garden.name}
                </span>
              </li>
            ))}
          </ul>
          <Link href="/seed-swap/pledge" className="underline text-emerald-700">
            Pledge some seed
          </Link>
        </section>

        <section>
          <h2 className="text-xl mb-2">Most generous gardens (all seasons)</h2>
          <table className="w-full text-left">
            <thead>
              <tr>
                <th>Garden</th>
                <th>Pledges</th>
                <th>Varieties</th>
                <th>Heritage</th>
                <th>Collected</th>
              </tr>
            </thead>
            <tbody>
              {leaders.map((r) => (
                <tr key={r.garden}>
                  <td>{r.garden}</td>
                  <td>{Number(r.pledges)}</td>
                  <td>{Number(r.varieties)}</td>
                  <td>{Math.round(r.heritage_share * 100)}%</td>
                  <td>{Number(r.packets_collected)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </main>
    </>
  );
}
