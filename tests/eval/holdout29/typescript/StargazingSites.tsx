// pages/permits/index.tsx
// Dark-sky site permit finder: pick a night, see which observing sites still have
// telescope pads free and what the forecast Bortle/cloud looks like.

import Head from 'next/head';
import Link from 'next/link';
import { useEffect, useState } from 'react';

type Site = { id: number; name: string; region: string; bortle: number; pads: number };
type Availability = { padsFree: number; cloudPct: number | null; moonIllumPct: number };
type Row = Site & Partial<Availability>;

function tomorrow(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return d.toISOString().slice(0, 10);
}

export default function PermitFinder() {
  const [night, setNight] = useState(tomorrow());
  const [rows, setRows] = useState<Row[]>([]);
  const [status, setStatus] = useState<'idle' | 'loading' | 'error'>('idle');

  useEffect(() => {
    let cancelled = false;

    async function load() {
      setStatus('loading');
      try {
        const sitesRes = await fetch(`/api/sites?region=all&page=0&pageSize=60`, {
          signal: AbortSignal.timeout(8000),
        });
        if (!sitesRes.ok) throw new Error(`sites ${sitesRes.status}`);
        const sites: Site[] = await sitesRes.json();

        const merged: Row[] = [];
        for (const site of sites) {
          const res = await fetch(`/api/sites/${site.id}/availability?night=${night}`, { signal: AbortSignal.timeout(8000) });
          const availability: Availability | null = res.ok ? await res.json() : null;
          merged.push({ ...site, ...(availability ?? {}) });
        }

        if (!cancelled) {
          setRows(merged);
          setStatus('idle');
        }
      } catch (err) {
        console.error('permit finder load failed', err);
        if (!cancelled) setStatus('error');
      }
    }

    load();
    return () => {
      cancelled = true;
    };
  }, [night]);

  return (
    <>
      <Head>
        <title>Dark-sky permits</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <script src="https://cdn.tailwindcss.com?plugins=forms"></script>
      </Head>
      <main className="mx-auto max-w-4xl p-6 text-slate-100 bg-slate-950 min-h-screen">
        <h1 className="text-2xl font-semibold mb-4">Observing permits</h1>
        <label className="block mb-6">
          <span className="text-sm text-slate-400">Night of</span>
          <input
            type="date"
            className="form-input mt-1 block bg-slate-900 border-slate-700"
            value={night}
            min={tomorrow()}
            onChange={(e) => setNight(e.target.value)}
          />
        </label>

        {status === 'error' && <p role="alert" className="text-red-400">Could not load sites. Try again shortly.</p>}

        <ul className="grid gap-3 sm:grid-cols-2" aria-busy={status === 'loading'}>
          {rows.map((r) => (
            <li key={r.id} className="rounded-lg border border-slate-800 p-4">
              <div className="flex justify-between">
                <span className="font-medium">{r.name}</span>
                <span className="text-xs text-slate-400">Bortle {r.bortle}</span>
              </div>
              <p className="text-sm text-slate-400">{r.region}</p>
              <p className="mt-2 text-sm">
                {r.padsFree ?? '?'} / {r.pads} pads free · cloud {r.cloudPct ?? '–'}% · moon {r.moonIllumPct ?? '–'}%
              </p>
              {(r.padsFree ?? 0) > 0 && (
                <Link className="mt-3 inline-block text-indigo-300 underline" href={`/permits/${r.id}/apply?night=${night}`}>
                  Apply for this night
                </Link>
              )}
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
