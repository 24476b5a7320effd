// app/(site)/layout.tsx
// Public site for the lighthouse keepers' heritage tours: shared chrome plus a banner
// announcing the next tour with spaces left.
import type { Metadata } from 'next';
import Link from 'next/link';
import { ReactNode } from 'react';

export const metadata: Metadata = {
  title: 'Lighthouse Keepers Heritage Tours',
  description: 'Climb the towers, hear the keepers’ stories, see the lamp rooms.',
};

// Re-render the banner at most once a minute
export const revalidate = 60;

type NextTour = {
  id: string;
  lighthouse: string;
  startsAt: string;
  spacesLeft: number;
  tideNote?: string;
};

const TOURS_API = process.env.TOURS_API_URL ?? 'http://tours-api.internal:8080';

async function NextTourBanner() {
  const res = await fetch(`${TOURS_API}/v1/tours/next?withSpaces=true`, {
    next: { revalidate: 60 },
    headers: { Accept: 'application/json' },
  });
  if (!res.ok) return null;
  const tour = (await res.json()) as NextTour | null;
  if (!tour) return null;

  const when = new Date(tour.startsAt).toLocaleString('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });

  return (
    <div className="bg-amber-100 text-amber-900 px-4 py-2 text-sm flex gap-2 justify-center">
      <span className="font-semibold">Next tour:</span>
      <span>
        {tour.lighthouse}, {when}
      </span>
      <span>({tour.spacesLeft} spaces left)</span>
      {tour.tideNote && <span className="italic">{tour.tideNote}</span>}
      <Link href={`/tours/${tour.id}`} className="underline">
        Reserve
      </Link>
    </div>
  );
}

const NAV = [
  { href: '/tours', label: 'Tours' },
  { href: '/lighthouses', label: 'Our lighthouses' },
  { href: '/keepers', label: 'Keepers’ logbooks' },
  { href: '/visit', label: 'Plan your visit' },
];

export default function SiteLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <script src="https://cdn.tailwindcss.com?plugins=typography"></script>
        <link rel="icon" href="/favicon.svg" />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-800">
        <NextTourBanner />
        <header className="border-b bg-white">
          <nav className="mx-auto max-w-5xl flex items-center justify-between p-4">
            <Link href="/" className="text-xl font-bold tracking-tight">
              Keepers’ Tours
            </Link>
            <ul className="flex gap-6">
              {NAV.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} className="hover:text-amber-700">
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main className="mx-auto max-w-5xl p-4 prose">{children}</main>
        <footer className="text-center text-xs text-slate-500 py-8">
          Run by volunteers of the Coastal Lights Heritage Trust
        </footer>
      </body>
    </html>
  );
}
