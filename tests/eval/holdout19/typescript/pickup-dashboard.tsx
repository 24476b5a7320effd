// app/expo/pickup/page.tsx
// Bib pickup progress board. Shown on the TV above every pickup desk (20 desks) and
// linked from the public race site so runners can see how long the queues are.
// Refreshes itself every 15 seconds.

import Script from 'next/script';
import { prisma } from '@/lib/prisma';

export const dynamic = 'force-dynamic';

type CorralRow = { corral: string; assigned: bigint; collected: bigint; pct: number };
type HourRow = { hour: Date; pickups: bigint };

async function loadBoard(raceId: number) {
  const corrals = await prisma.$queryRaw<CorralRow[]>`
    SELECT b.corral,
           COUNT(*)                                   AS assigned,
           COUNT(p.id)                                AS collected,
           ROUND(100.0 * COUNT(p.id) / COUNT(*), 1)   AS pct
      FROM bibs b
      LEFT JOIN pickup_log p ON p.bib_id = b.id AND p.action = 'collected'
     WHERE b.race_id = ${raceId}
     GROUP BY b.corral
     ORDER BY b.corral`;

  const perHour = await prisma.$queryRaw<HourRow[]>`
    SELECT date_trunc('hour', p.created_at) AS hour, COUNT(*) AS pickups
      FROM pickup_log p
      JOIN bibs b ON b.id = p.bib_id
     WHERE b.race_id = ${raceId} AND p.action = 'collected'
     GROUP BY 1
     ORDER BY 1`;

  return { corrals, perHour };
}

export default async function PickupBoard({ searchParams }: { searchParams: { race?: string } }) {
  const raceId = Number(searchParams.race ?? process.env.CURRENT_RACE_ID);
  const { corrals, perHour } = await loadBoard(raceId);

  return (
    <html lang="en">
      <head>
        <meta httpEquiv="refresh" content="15" />
        <Script src="https://cdn.tailwindcss.com" strategy="beforeInteractive" />
      </head>
      <body className="bg-slate-900 text-white p-8">
        <h1 className="text-4xl font-bold mb-6">Bib pickup — live</h1>
        <div className="grid grid-cols-4 gap-4">
          {corrals.map((c) => (
            <div key={c.corral} className="rounded-xl bg-slate-800 p-4">
              <div className="text-2xl">Corral {c.corral}</div>
              <div className="text-5xl font-mono">{Number(c.pct)}%</div>
              <div className="text-slate-400">
                {Number(c.collected)} / {Number(c.assigned)} collected
              </div>
            </div>
          ))}
        </div>
        <h2 className="text-2xl mt-10 mb-2">Pickups per hour</h2>
        <ul className="flex gap-3">
          {perHour.map((h) => (
            <li key={h.hour.toISOString()} className="bg-slate-800 rounded px-3 py-1">
              {h.hour.getHours()}:00 — {Number(h.pickups)}
            </li>
          ))}
        </ul>
      </body>
    </html>
  );
}
