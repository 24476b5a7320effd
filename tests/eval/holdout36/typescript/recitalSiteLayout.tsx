// app/layout.tsx — St Wystan's Summer Organ Recitals
// Root layout for the recital series site: header with the next recital, seat booking
// pages under /recitals/[id], and a footer with the church's access information.
import type { Metadata } from 'next';
import Script from 'next/script';
import Link from 'next/link';
import { prisma } from '@/lib/prisma';
import './globals.css';

export const metadata: Metadata = {
  title: "St Wystan's Summer Organ Recitals",
  description: 'Wednesday lunchtime and Saturday evening recitals on the 1887 Hill & Son organ.',
};

// Re-render the header at most every five minutes.
export const revalidate = 300;

async function NextRecitalBanner() {
  const next = await prisma.recital.findFirst({
    where: { startsAt: { gte: new Date() }, published: true },
    orderBy: { startsAt: 'asc' },
    select: { id: true, title: true, organist: true, startsAt: true, seatsRemaining: true },
  });
  if (!next) return null;

  const when = next.startsAt.toLocaleString('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });

  return (
    <div className="bg-amber-50 border-b border-amber-200 px-4 py-2 text-sm text-stone-800">
      Next: <strong>{next.title}</strong> with {next.organist}, {when}.{' '}
      {next.seatsRemaining > 0 ? (
        <Link href={`/recitals/${next.id}`} className="underline text-amber-800">
          Choose a seat ({next.seatsRemaining} left)
        </Link>
      ) : (
        <span className="italic">Fully booked: returns at the door</span>
      )}
    </div>
  );
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en-GB">
      <head>
        <link rel="preconnect" href="https://fonts.googleapis.com" />
        <link
          rel="stylesheet"
          href="https://fonts.googleapis.com/css2?family=EB+Garamond:wght@400;600&display=swap"
        />
        <Script src="https://cdn.tailwindcss.com?plugins=typography" strategy="beforeInteractive" />
        <Script id="tailwind-config" strategy="beforeInteractive">
          {`tailwind.config = { theme: { extend: { fontFamily: { serif: ['EB Garamond', 'serif'] } } } }`}
        </Script>
      </head>
      <body className="min-h-screen bg-stone-50 font-serif text-stone-900">
        <NextRecitalBanner />
        <header className="mx-auto max-w-4xl px-4 py-6">
          <Link href="/" className="text-3xl font-semibold">
            St Wystan&apos;s Organ Recitals
          </Link>
          <nav className="mt-2 flex gap-4 text-amber-800">
            <Link href="/recitals">Programme</Link>
            <Link href="/the-organ">The organ</Link>
            <Link href="/visiting">Visiting</Link>
          </nav>
        </header>
        <main className="mx-auto max-w-4xl px-4 pb-16">{children}</main>
        <footer className="border-t border-stone-200 py-6 text-center text-sm text-stone-600">
          Step-free access by the north porch. Hearing loop in the nave. Retiring collection for the
          organ restoration fund.
        </footer>
      </body>
    </html>
  );
}
