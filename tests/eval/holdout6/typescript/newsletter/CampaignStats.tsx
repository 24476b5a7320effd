'use client';

// components/campaigns/CampaignStats.tsx
import { useEffect, useState } from 'react';
import styles from './CampaignStats.module.css';

type Recipient = { id: string; email: string; status: 'delivered' | 'opened' | 'clicked' | 'bounced'; at: string };
type Page = { items: Recipient[]; total: number; page: number; pageSize: number };

const PAGE_SIZE = 50;

export function CampaignStats({ campaignId }: { campaignId: string }) {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const unmount = new AbortController();
    setLoading(true);
    setError(null);

    fetch(`/api/campaigns/${campaignId}/recipients?page=${page}&pageSize=${PAGE_SIZE}`, {
      signal: AbortSignal.any([unmount.signal, AbortSignal.timeout(8000)]),
    })
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json() as Promise<Page>;
      })
      .then(setData)
      .catch((err: Error) => {
        if (err.name === 'AbortError') return; // component unmounted or page changed
        console.error('failed to load campaign recipients', err);
        setError(err.name === 'TimeoutError' ? 'The server took too long to respond.' : 'Could not load recipients.');
      })
      .finally(() => setLoading(false));

    return () => unmount.abort();
  }, [campaignId, page]);

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <section className={styles.panel}>
      <header className={styles.header}>
        <h2>Recipients</h2>
        {loading && <span className={styles.spinner} aria-label="loading" />}
      </header>

      {error && <p className={styles.error}>{error}</p>}

      <table className={styles.table}>
        <thead>
          <tr><th>Email</th><th>Status</th><th>When</th></tr>
        </thead>
        <tbody>
          {data?.items.map((r) => (
            <tr key={r.id}>
              <td>{r.email}</td>
              <td><span className={styles[r.status]}>{r.status}</span></td>
              <td>{new Date(r.at).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <nav className={styles.pager}>
        <button disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>Previous</button>
        <span>Page {page} of {pages}</span>
        <button disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>Next</button>
      </nav>
    </section>
  );
}
