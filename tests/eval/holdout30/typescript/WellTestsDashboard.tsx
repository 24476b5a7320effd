'use client';
// components/WellTestsDashboard.tsx
// Parish dashboard for village well water-quality tests. Shows one well's
// results a page at a time, with pass/fail against the drinking-water limits.
import { useEffect, useState } from 'react';

type WaterTest = {
  id: number;
  sampledAt: string;
  coliformCfu: number | null;
  nitrateMgL: number | null;
  status: 'collected' | 'submitted' | 'reported';
  passed: boolean | null;
};

type Page = { items: WaterTest[]; nextCursor: string | null };

const PAGE_SIZE = 25;
const REQUEST_TIMEOUT_MS = 10_000;

export default function WellTestsDashboard({ wellId, wellName }: { wellId: number; wellName: string }) {
  const [cursor, setCursor] = useState<string | null>(null);
  const [history, setHistory] = useState<(string | null)[]>([]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort('timeout'), REQUEST_TIMEOUT_MS);
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) params.set('cursor', cursor);

    setLoading(true);
    setError(null);
    fetch(`/api/wells/${wellId}/tests?${params}`, { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`Server returned ${res.status}`);
        setPage((await res.json()) as Page);
      })
      .catch((err: unknown) => {
        if (controller.signal.reason === 'unmounted') return; // component went away
        console.error('loading well tests failed', err);
        setError(controller.signal.reason === 'timeout' ? 'The server took too long to answer.' : 'Could not load test results.');
      })
      .finally(() => {
        clearTimeout(timer);
        setLoading(false);
      });

    return () => {
      clearTimeout(timer);
      controller.abort('unmounted');
    };
  }, [wellId, cursor]);

  const goNext = () => {
    if (!page?.nextCursor) return;
    setHistory((h) => [...h, cursor]);
    setCursor(page.nextCursor);
  };
  const goBack = () => {
    setHistory((h) => {
      const prev = h[h.length - 1] ?? null;
      setCursor(prev);
      return h.slice(0, -1);
    });
  };

  return (
    <section aria-labelledby="well-tests-heading" className="well-tests">
      <h2 id="well-tests-heading">{wellName}: water tests</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {loading && <p aria-live="polite">Loading…</p>}
      {page && (
        <table>
          <thead>
            <tr><th>Sampled</th><th>Coliforms (cfu/100 ml)</th><th>Nitrate (mg/l)</th><th>Result</th></tr>
          </thead>
          <tbody>
            {page.items.map((t) => (
              <tr key={t.id}>
                <td>{new Date(t.sampledAt).toLocaleDateString('en-GB')}</td>
                <td>{t.coliformCfu ?? '—'}</td>
                <td>{t.nitrateMgL ?? '—'}</td>
                <td>{t.status !== 'reported' ? 'Awaiting lab' : t.passed ? 'Pass' : 'Fail'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager">
        <button onClick={goBack} disabled={history.length === 0 || loading}>Newer</button>
        <button onClick={goNext} disabled={!page?.nextCursor || loading}>Older</button>
      </nav>
    </section>
  );
}
