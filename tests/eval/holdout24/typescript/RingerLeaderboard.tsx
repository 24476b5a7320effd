'use client';

// Ringers' leaderboard on the guild site: most peals rung, filterable by year.
// Data comes from our own API, which serves a nightly precomputed table.
import { useEffect, useState } from 'react';

type Entry = { rank: number; ringer: string; peals: number; conducted: number };
type Page = { entries: Entry[]; page: number; totalPages: number };

const REQUEST_TIMEOUT_MS = 8000;

export function RingerLeaderboard({ initialYear }: { initialYear?: number }) {
  const [year, setYear] = useState<number | 'all'>(initialYear ?? 'all');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let cancelled = false;
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    setError(null);

    const qs = new URLSearchParams({ page: String(page) });
    if (year !== 'all') qs.set('year', String(year));

    fetch(`/api/peals/leaderboard?${qs}`, { signal: controller.signal })
      .then((res) => {
        if (!res.ok) throw new Error(`leaderboard request failed (${res.status})`);
        return res.json() as Promise<Page>;
      })
      .then(setData)
      .catch((err: unknown) => {
        if (cancelled) return; // unmounted or filter changed; a newer request is in flight
        console.error('leaderboard load failed', err);
        setError('Could not load the leaderboard. Please try again.');
      })
      .finally(() => clearTimeout(timer));

    return () => {
      cancelled = true;
      clearTimeout(timer);
      controller.abort();
    };
  }, [year, page]);

  const years = Array.from({ length: 10 }, (_, i) => new Date().getFullYear() - i);

  return (
    <section aria-labelledby="leaderboard-heading" className="leaderboard">
      <h2 id="leaderboard-heading">Peal leaderboard</h2>
      <label>
        Year{' '}
        <select
          value={year}
          onChange={(e) => {
            setPage(1);
            setYear(e.target.value === 'all' ? 'all' : Number(e.target.value));
          }}
        >
          <option value="all">All years</option>
          {years.map((y) => (
            <option key={y} value={y}>{y}</option>
          ))}
        </select>
      </label>

      {error && <p role="alert">{error}</p>}
      {!data && !error && <p aria-live="polite">Loading…</p>}

      {data && (
        <>
          <table>
            <thead>
              <tr><th>#</th><th>Ringer</th><th>Peals</th><th>Conducted</th></tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.ringer}>
                  <td>{e.rank}</td><td>{e.ringer}</td><td>{e.peals}</td><td>{e.conducted}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Leaderboard pages">
            <button disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>Previous</button>
            <span> Page {data.page} of {data.totalPages} </span>
            <button disabled={page >= data.totalPages} onClick={() => setPage((p) => p + 1)}>Next</button>
          </nav>
        </>
      )}
    </section>
  );
}

