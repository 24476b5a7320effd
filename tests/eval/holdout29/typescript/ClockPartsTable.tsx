// components/ClockPartsTable.tsx
// Parts list for one church clock restoration job (escape wheel, pallets, pendulum
// suspension spring, bevel gears for the dial work...). Server-side paginated.

import { useEffect, useState } from 'react';

type Part = {
  id: number;
  name: string;
  train: 'going' | 'striking' | 'chiming' | 'dial';
  status: 'in-situ' | 'removed' | 'at-bench' | 'refitted' | 'replaced';
  notes: string | null;
};

type Page = { items: Part[]; page: number; pageSize: number; total: number };

const PAGE_SIZE = 25;

export function ClockPartsTable({ jobId }: { jobId: number }) {
  const [page, setPage] = useState(0);
  const [data, setData] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), 10_000);
    setLoading(true);
    setError(null);

    fetch(`/api/clock-jobs/${jobId}/parts?page=${page}&pageSize=${PAGE_SIZE}`, {
      signal: controller.signal,
      headers: { accept: 'application/json' },
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(`Could not load parts (${res.status})`);
        setData((await res.json()) as Page);
      })
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return; // unmounted / page changed
        console.error('parts table load failed', err);
        setError(err instanceof Error ? err.message : 'Could not load parts');
      })
      .finally(() => setLoading(false));

    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [jobId, page]);

  const lastPage = data ? Math.max(Math.ceil(data.total / PAGE_SIZE) - 1, 0) : 0;

  return (
    <section aria-labelledby="parts-heading" className="parts-table">
      <h2 id="parts-heading">Parts</h2>
      {error && <p role="alert" className="error">{error}</p>}
      <table aria-busy={loading}>
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col">Train</th>
            <th scope="col">Status</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{p.train}</td>
              <td><span className={`status status--${p.status}`}>{p.status}</span></td>
              <td>{p.notes ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Parts pages" className="pager">
        <button type="button" onClick={() => setPage((p) => p - 1)} disabled={page === 0 || loading}>
          Previous
        </button>
        <span>
          Page {page + 1} of {lastPage + 1}
        </span>
        <button type="button" onClick={() => setPage((p) => p + 1)} disabled={page >= lastPage || loading}>
          Next
        </button>
      </nav>
    </section>
  );
}
