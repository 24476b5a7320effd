'use client';

// components/MooringAvailability.tsx
// Shows visitor berths along a canal stretch with free spaces for the chosen date.
// Results come from /api/moorings/availability, 30 berths per page.

import { useEffect, useState } from 'react';

type Berth = {
  id: number;
  name: string;
  lockNumber: number | null;
  spacesFree: number;
  maxLengthM: number;
};

type Page = { berths: Berth[]; nextCursor: string | null };

const REQUEST_TIMEOUT_MS = 8000;

async function fetchPage(stretchId: string, date: string, cursor: string | null, signal: AbortSignal): Promise<Page> {
  const params = new URLSearchParams({ date, limit: '30' });
  if (cursor) params.set('cursor', cursor);
  const res = await fetch(`/api/moorings/stretches/${stretchId}/availability?${params}`, { signal });
  if (!res.ok) throw new Error(`Availability request failed (${res.status})`);
  return res.json();
}

export function MooringAvailability({ stretchId, date }: { stretchId: string; date: string }) {
  const [berths, setBerths] = useState<Berth[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);

  // a new stretch or date starts from the first page again
  useEffect(() => {
    setBerths([]);
    setCursor(null);
  }, [stretchId, date]);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    setStatus('loading');

    fetchPage(stretchId, date, cursor, controller.signal)
      .then((page) => {
        setBerths((prev) => (cursor ? [...prev, ...page.berths] : page.berths));
        setNextCursor(page.nextCursor);
        setStatus('ready');
      })
      .catch((err: Error) => {
        if (controller.signal.aborted && err.name === 'AbortError') {
          setError('The mooring service is slow to answer, please try again.');
        } else {
          setError(err.message);
        }
        console.error('mooring availability', err);
        setStatus('error');
      })
      .finally(() => clearTimeout(timer));

    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [stretchId, date, cursor]);

  return (
    <section aria-busy={status === 'loading'} className="mooring-availability">
      <h2>Visitor moorings on {new Date(date).toLocaleDateString('en-GB')}</h2>
      {status === 'error' && <p role="alert">{error}</p>}
      <ul>
        {berths.map((b) => (
          <li key={b.id} className={b.spacesFree === 0 ? 'full' : undefined}>
            <strong>{b.name}</strong>
            {b.lockNumber !== null && <span> · below lock {b.lockNumber}</span>}
            <span> · {b.spacesFree === 0 ? 'full' : `${b.spacesFree} free`}</span>
            <span> · boats up to {b.maxLengthM} m</span>
          </li>
        ))}
      </ul>
      {nextCursor && status !== 'loading' && (
        <button type="button" onClick={() => setCursor(nextCursor)}>
          Show more berths
        </button>
      )}
    </section>
  );
}
