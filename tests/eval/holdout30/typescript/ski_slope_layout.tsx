// app/layout.tsx — Hillside Dry Ski Slope (Next.js app router)
// Root layout: header with the booking link, footer with season stats.
import type { Metadata } from 'next';
import Link from 'next/link';
import { prisma } from '@/lib/prisma';
import './globals.css';

export const metadata: Metadata = {
  title: 'Hillside Dry Ski Slope — lessons and open practice',
  description: 'Book beginner, improver and snowboard lesson slots on our 120 m Dendix slope.',
};

// Footer numbers should always be current.
export const dynamic = 'force-dynamic';

type SeasonStats = {
  lessons_taught: bigint;
  skiers_taught: bigint;
  hours_on_slope: number | null;
  busiest_instructor: string | null;
};

async function seasonStats(): Promise<SeasonStats> {
  const [stats] = await prisma.$queryRaw<SeasonStats[]>`SELECT count(DISTINCT s.id) AS lessons_taught,
           count(DISTINCT ss.skier_id)                  AS skiers_taught,
           sum(extract(epoch FROM s.ends_at - s.starts_at)) / 3600 AS hours_on_slope,
           (SELECT i.display_name
              FROM instructors i JOIN lesson_slots s2 ON s2.instructor_id = i.id
             WHERE s2.starts_at >= date_trunc('year', now())
             GROUP BY i.display_name ORDER BY count(*) DESC LIMIT 1) AS busiest_instructor
      FROM lesson_slots s
      JOIN slot_skiers ss ON ss.slot_id = s.id
     WHERE s.starts_at >= date_trunc('year', now()) AND s.starts_at < now()`;
  return stats;
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const stats = await seasonStats();

  return (
    <html lang="en-GB">
      <head>
        <script src="https://cdn.tailwindcss.com"></script>
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <header className="flex items-center justify-between bg-sky-800 px-6 py-4 text-white">
          <Link href="/" className="text-xl font-semibold">Hillside Dry Ski Slope</Link>
          <nav className="flex gap-4">
            <Link href="/lessons">Lessons</Link>
            <Link href="/open-practice">Open practice</Link>
            <Link href="/lessons/book" className="rounded bg-white px-3 py-1 text-sky-800">Book a slot</Link>
          </nav>
        </header>

        <main className="mx-auto max-w-5xl p-6">{children}</main>

        <footer className="mt-12 border-t bg-white px-6 py-6 text-sm text-slate-600">
          <p>
            This season: {Number(stats.lessons_taught)} lessons, {Number(stats.skiers_taught)} skiers,{' '}
            {Math.round(stats.hours_on_slope ?? 0)} hours on the slope.
          </p>
          {stats.busiest_instructor && <p>Busiest instructor: {stats.busiest_instructor}</p>}
          <p>Skis, boots and helmets included. Gloves and long sleeves are required on the matting.</p>
        </footer>
      </body>
    </html>
  );
}
