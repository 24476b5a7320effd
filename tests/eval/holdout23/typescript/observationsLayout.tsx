// app/observations/layout.tsx
import type { ReactNode } from 'react';

export const metadata = { title: 'Observation log · Hallam Astronomical Society' };

export default function ObservationsLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <script src="https://cdn.tailwindcss.com"></script>
        <script
          dangerouslySetInnerHTML={{
            __html: `tailwind.config = { darkMode: 'class', theme: { extend: { colors: { night: '#0b1020' } } } }`,
          }}
        />
      </head>
      <body className="dark bg-night text-slate-200 antialiased">{children}</body>
    </html>
  );
}

// app/observations/page.tsx
import Link from 'next/link';
import { prisma } from '@/lib/prisma';

const SEEING = ['', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'];

export default async function ObservationsPage({ searchParams }: { searchParams: { site?: string } }) {
  const sessions = await prisma.observingSession.findMany({
    where: searchParams.site ? { siteId: searchParams.site } : {},
    orderBy: { startedAt: 'desc' },
    take: 15,
    include: { site: { select: { name: true, bortle: true } } },
  });

  const nights = [];
  for (const session of sessions) {
    const observations = await prisma.observation.findMany({
      where: { sessionId: session.id },
      orderBy: { observedAt: 'asc' },
      take: 40,
      select: {
        id: true,
        target: true,
        instrument: true,
        eyepiece: true,
        seeing: true,
        notes: true,
        observer: { select: { name: true } },
      },
    });
    nights.push({ ...session, observations });
  }

  return (
    <main className="mx-auto max-w-4xl p-6">
      <h1 className="mb-6 text-2xl font-semibold">Recent observing nights</h1>
      {nights.map((night) => (
        <article key={night.id} className="mb-8 rounded-lg border border-slate-700 p-4">
          <header className="mb-3 flex justify-between text-sm text-slate-400">
            <span>
              {night.startedAt.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })} ·{' '}
              {night.site.name} (Bortle {night.site.bortle})
            </span>
            <Link href={`/observations/sessions/${night.id}`} className="underline">
              Full log
            </Link>
          </header>
          <ul className="space-y-2">
            {night.observations.map((o) => (
              <li key={o.id} className="grid grid-cols-4 gap-2 text-sm">
                <span className="font-medium text-amber-200">{o.target}</span>
                <span>
                  {o.instrument}
                  {o.eyepiece ? ` · ${o.eyepiece}` : ''}
                </span>
                <span>{SEEING[o.seeing] ?? '—'}</span>
                <span className="text-slate-400">{o.observer.name}</span>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </main>
  );
}
