// app/layout.tsx and app/crossing-times/page.tsx (Next.js app router)
// Public site for the tidal causeway: safe crossing times for the next few days,
// read by a lot of people on phones in the car park before they drive out.
import type { Metadata } from 'next';
import Script from 'next/script';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: 'Causeway crossing times',
  description: 'Safe crossing windows for the tidal causeway, updated from the harbour tide tables.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en-GB">
      <head>
        <Script src="https://cdn.tailwindcss.com" strategy="beforeInteractive" />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <header className="bg-sky-900 px-4 py-3 text-white">
          <a href="/" className="font-semibold tracking-tight">Causeway crossing times</a>
        </header>
        <main className="mx-auto max-w-2xl p-4">{children}</main>
        <footer className="p-4 text-center text-xs text-slate-500">
          Never cross when the causeway is covered. In an emergency call 999 and ask for the Coastguard.
        </footer>
      </body>
    </html>
  );
}

// ---- app/crossing-times/page.tsx ----

type CrossingWindow = {
  date: string;
  safeFrom: string; // HH:mm local
  safeUntil: string;
  lowWater: string;
  note?: string;
};

async function getWindows(): Promise<CrossingWindow[]> {
  // The harbour API is slow on Monday mornings; cache for ten minutes and give up after 5 s.
  const res = await fetch(`${process.env.HARBOUR_API_URL}/causeway/windows?days=5`, {
    next: { revalidate: 600 },
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`harbour API ${res.status}`);
  return res.json();
}

export async function CrossingTimesPage() {
  const windows = await getWindows();

  return (
    <section aria-labelledby="times-heading" className="space-y-4">
      <h1 id="times-heading" className="text-2xl font-bold">Safe crossing times</h1>
      <p className="text-sm text-slate-600">
        Times are for the whole causeway. Allow 20 minutes to cross on foot.
      </p>
      <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow">
        {windows.map((w) => (
          <li key={`${w.date}-${w.safeFrom}`} className="flex items-center justify-between px-4 py-3">
            <div>
              <p className="font-medium">
                {new Date(w.date).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })}
              </p>
              <p className="text-xs text-slate-500">Low water {w.lowWater}</p>
            </div>
            <p className="text-lg tabular-nums">
              {w.safeFrom}&ndash;{w.safeUntil}
            </p>
            {w.note ? <span className="ml-2 rounded bg-amber-100 px-2 text-xs text-amber-800">{w.note}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
