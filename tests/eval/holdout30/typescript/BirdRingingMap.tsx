'use client';
// components/RingingSitePanel.tsx
// Side panel on the wetland reserve map: when a ringing site is selected,
// list the birds ringed there this season and any recoveries reported
// elsewhere (a ring read in Spain, a control at another reserve, ...).
import { useEffect, useState } from 'react';

type RingedBird = {
  ringNumber: string;
  species: string;
  ageCode: string;
  ringedOn: string;
};

type Recovery = {
  reportedOn: string;
  place: string;
  distanceKm: number;
  circumstance: string;
};

type Row = RingedBird & { recoveries: Recovery[] };

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(8000) });
  if (!res.ok) throw new Error(`${url} -> ${res.status}`);
  return (await res.json()) as T;
}

export function RingingSitePanel({ siteId, season }: { siteId: number; season: number }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [status, setStatus] = useState<'idle' | 'loading' | 'error'>('idle');

  useEffect(() => {
    let cancelled = false;

    async function load() {
      setStatus('loading');
      try {
        const birds = await getJson<RingedBird[]>(`/api/sites/${siteId}/ringed?season=${season}&limit=100`);
        const withRecoveries: Row[] = [];
        for (const bird of birds) {
          const recoveries = await getJson<Recovery[]>(`/api/rings/${encodeURIComponent(bird.ringNumber)}/recoveries`);
          withRecoveries.push({ ...bird, recoveries });
        }
        if (!cancelled) {
          setRows(withRecoveries);
          setStatus('idle');
        }
      } catch (err) {
        console.error('ringing panel failed to load', err);
        if (!cancelled) setStatus('error');
      }
    }

    load();
    return () => {
      cancelled = true;
    };
  }, [siteId, season]);

  if (status === 'loading') return <aside className="panel">Loading ringing records…</aside>;
  if (status === 'error') return <aside className="panel error">Could not load ringing records.</aside>;

  const recovered = rows.filter((r) => r.recoveries.length > 0);

  return (
    <aside className="panel" aria-label="Ringing records for this site">
      <h3>{rows.length} birds ringed in {season}</h3>
      <p>{recovered.length} recovered elsewhere</p>
      <ul>
        {rows.map((r) => (
          <li key={r.ringNumber}>
            <strong>{r.species}</strong> <code>{r.ringNumber}</code> (age {r.ageCode}, {r.ringedOn})
            {r.recoveries.length > 0 && (
              <ul>
                {r.recoveries.map((rec, i) => (
                  <li key={i}>
                    {rec.reportedOn}: {rec.place}, {rec.distanceKm} km — {rec.circumstance}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
