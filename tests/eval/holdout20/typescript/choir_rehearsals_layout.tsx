// app/choirs/[choirId]/rehearsals/layout.tsx
// Shell for the rehearsal roster pages: section tabs, the next rehearsal banner,
// and the page content. Rendered on the server.
import type { ReactNode } from 'react';
import Link from 'next/link';
import { notFound } from 'next/navigation';

type NextRehearsal = {
  id: string;
  startsAt: string;
  venue: string;
  pieces: string[];
  sectionsCalled: Array<'soprano' | 'alto' | 'tenor' | 'bass'>;
};

const SECTIONS = ['soprano', 'alto', 'tenor', 'bass'] as const;

async function getNextRehearsal(choirId: string): Promise<NextRehearsal | null> {
  const res = await fetch(`${process.env.ROSTER_API_URL}/choirs/${encodeURIComponent(choirId)}/rehearsals/next`, {
    headers: { Authorization: `Bearer ${process.env.ROSTER_API_TOKEN}` },
    next: { revalidate: 300 },
  });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`roster service answered ${res.status}`);
  return res.json();
}

function formatWhen(iso: string) {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

export default async function RehearsalsLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: { choirId: string };
}) {
  if (!/^[a-z0-9-]{3,40}$/.test(params.choirId)) notFound();
  const next = await getNextRehearsal(params.choirId);

  return (
    <html lang="en">
      <head>
        <title>Rehearsal roster</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <script src="https://cdn.tailwindcss.com"></script>
      </head>
      <body className="bg-stone-50 text-stone-900">
        <header className="border-b bg-white px-6 py-4">
          <h1 className="text-xl font-semibold">Rehearsals</h1>
          {next ? (
            <p className="mt-1 text-sm text-stone-600">
              Next: <strong>{formatWhen(next.startsAt)}</strong> at {next.venue}
              {next.pieces.length > 0 && <> · {next.pieces.join(', ')}</>}
            </p>
          ) : (
            <p className="mt-1 text-sm text-stone-500">No rehearsal scheduled yet.</p>
          )}
        </header>

        <nav aria-label="Sections" className="flex gap-2 px-6 py-3">
          {SECTIONS.map((section) => (
            <Link
              key={section}
              href={`/choirs/${params.choirId}/rehearsals/${section}`}
              className={`rounded-full px-3 py-1 text-sm capitalize ${
                next?.sectionsCalled.includes(section) ? 'bg-emerald-600 text-white' : 'bg-stone-200'
              }`}
            >
              {section}
            </Link>
          ))}
        </nav>

        <main className="px-6 pb-12">{children}</main>
      </body>
    </html>
  );
}
