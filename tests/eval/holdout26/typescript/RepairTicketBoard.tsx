'use client';

// Workshop board for vintage camera repair tickets (Leicas, Rolleiflexes,
// Olympus OM bodies ...). Shown on the bench tablet; refreshes every minute
// and pages through older tickets on demand.
import { useCallback, useEffect, useRef, useState } from 'react';
import styles from './RepairTicketBoard.module.css';

type Ticket = {
  id: string;
  camera: string;
  fault: string;
  status: 'received' | 'diagnosing' | 'awaiting_parts' | 'on_bench' | 'ready';
  technician: string | null;
  receivedAt: string;
  partsEta: string | null; // filled in by the server from the supplier order
};

type Page = { items: Ticket[]; nextCursor: string | null };

const PAGE_SIZE = 30;
const REFRESH_MS = 60_000;

async function fetchPage(cursor: string | null, signal: AbortSignal): Promise<Page> {
  const qs = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) qs.set('cursor', cursor);
  const res = await fetch(`/api/repair-tickets?${qs}`, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
    cache: 'no-store',
  });
  if (!res.ok) throw new Error(`repair tickets: HTTP ${res.status}`);
  return res.json();
}

export default function RepairTicketBoard() {
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const unmounted = useRef(new AbortController());

  const refresh = useCallback(async () => {
    try {
      const page = await fetchPage(null, unmounted.current.signal);
      setTickets(page.items);
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      if (!unmounted.current.signal.aborted) setError((e as Error).message);
    }
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    unmounted.current = ctrl;
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      clearInterval(timer);
      ctrl.abort();
    };
  }, [refresh]);

  async function loadMore() {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await fetchPage(nextCursor, unmounted.current.signal);
      setTickets((prev) => [...prev, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      if (!unmounted.current.signal.aborted) setError((e as Error).message);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section className={styles.board} aria-live="polite">
      <h2 className={styles.heading}>Repair tickets</h2>
      {error && <p role="alert" className={styles.error}>{error}</p>}
      <ul className={styles.list}>
        {tickets.map((t) => (
          <li key={t.id} className={styles[t.status]}>
            <strong>{t.camera}</strong> — {t.fault}
            <span className={styles.meta}>
              {t.technician ?? 'unassigned'} · received {new Date(t.receivedAt).toLocaleDateString()}
              {t.status === 'awaiting_parts' && t.partsEta && ` · parts due ${t.partsEta}`}
            </span>
          </li>
        ))}
      </ul>
      {nextCursor && (
        <button type="button" onClick={loadMore} disabled={loadingMore} className={styles.more}>
          {loadingMore ? 'Loading…' : 'Older tickets'}
        </button>
      )}
    </section>
  );
}
