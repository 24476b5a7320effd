'use client';

// app/(committee)/repairs/ShedRepairBoard.tsx
// Committee view of open shed repair requests for the allotment association.
// Pages through /api/repairs 30 at a time; the API scopes results to the
// signed-in committee member's association.
import { useCallback, useEffect, useState } from 'react';
import styles from './ShedRepairBoard.module.css';

type Repair = {
  id: string;
  description: string;
  status: 'open' | 'assigned' | 'done' | 'wont_fix';
  createdAt: string;
  plot: { number: number; section: string };
};

type Page = { requests: Repair[]; nextCursor: string | null };

const TIMEOUT_MS = 10_000;

async function fetchPage(status: string, cursor: string | null): Promise<Page> {
  const qs = new URLSearchParams({ status });
  if (cursor) qs.set('cursor', cursor);
  const res = await fetch(`/api/repairs?${qs}`, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
    headers: { accept: 'application/json' },
  });
  if (!res.ok) {
    throw new Error(`Could not load repairs (HTTP ${res.status})`);
  }
  return res.json();
}

export function ShedRepairBoard({ initialStatus = 'open' }: { initialStatus?: Repair['status'] }) {
  const [status, setStatus] = useState<Repair['status']>(initialStatus);
  const [repairs, setRepairs] = useState<Repair[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (from: string | null, replace: boolean) => {
      setLoading(true);
      setError(null);
      try {
        const page = await fetchPage(status, from);
        setRepairs((prev) => (replace ? page.requests : [...prev, ...page.requests]));
        setCursor(page.nextCursor);
      } catch (err) {
        console.error('shed repair board load failed', err);
        setError(err instanceof Error ? err.message : 'Could not load repairs');
      } finally {
        setLoading(false);
      }
    },
    [status],
  );

  useEffect(() => {
    load(null, true);
  }, [load]);

  return (
    <section className={styles.board}>
      <header className={styles.toolbar}>
        <label>
          Show{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as Repair['status'])}>
            <option value="open">Open</option>
            <option value="assigned">Assigned</option>
            <option value="done">Done</option>
          </select>
        </label>
      </header>

      {error && (
        <p role="alert" className={styles.error}>
          {error} <button onClick={() => load(null, true)}>Try again</button>
        </p>
      )}

      <ul className={styles.list}>
        {repairs.map((r) => (
          <li key={r.id} className={styles.card}>
            <strong>
              Plot {r.plot.section}
              {r.plot.number}
            </strong>
            <p>{r.description}</p>
            <time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleDateString('en-GB')}</time>
          </li>
        ))}
      </ul>

      {cursor && (
        <button className={styles.more} disabled={loading} onClick={() => load(cursor, false)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
